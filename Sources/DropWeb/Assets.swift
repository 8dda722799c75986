import DropAPI
import Foundation
import Hummingbird

/// Static files shipped inside the binary (no CDN, no build step). Only names in the bundle's
/// Assets folder are served, so a path can't reach anything else.
enum Assets {
    struct Asset: Sendable {
        let data: Data
        let contentType: String

        func response(cacheControl: String) -> Response {
            Response(status: .ok, headers: [.contentType: contentType, .cacheControl: cacheControl],
                     body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    static let all: [String: Asset] = {
        guard let folder = Bundle.module.url(forResource: "Assets", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [:] }
        var assets: [String: Asset] = [:]
        for name in names {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
            assets[name] = Asset(data: data, contentType: contentType(of: name))
        }
        return assets
    }()

    static func lookup(_ name: String) -> Asset? { all[name] }

    /// What every page links to; `drop serve` refuses to start without them (`ShippedResources`).
    static let resources = ShippedResources.Requirement(
        bundle: "Drop_DropWeb.resources",
        files: ["app.css", "countdown.js", "error-summary.js", "live-status.js", "merchant.js", "scan.js", "pwa.js", "share.js", "sw.js",
                "manifest.webmanifest", "icon.svg", "icon-192.png", "icon-512.png", "icon-maskable-512.png",
                "inter-regular.woff2", "inter-semibold.woff2", "inter-bold.woff2", "noto-sans-arabic-regular.woff2",
                "noto-sans-arabic-bold.woff2", "LICENSE-Inter.txt", "LICENSE-NotoSansArabic.txt"].map { "Assets/" + $0 })

    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension {
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "txt": return "text/plain; charset=utf-8"
        case "webmanifest": return "application/manifest+json"
        default: return "application/octet-stream"
        }
    }
}
