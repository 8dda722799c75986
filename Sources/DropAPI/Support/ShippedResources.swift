import Foundation

/// Files the binary needs at run time travel beside it as SwiftPM resource bundles
/// (`Drop_<Target>.resources`). A deployment that forgets one must fail at start with a line saying
/// so, not serve unstyled pages and an empty API contract. Checked before anything touches
/// `Bundle.module`, whose accessor would otherwise stop the process without a useful message.
public enum ShippedResources {
    /// A bundle and the files (relative paths) that must be in it, non-empty.
    public struct Requirement: Sendable {
        public let bundle: String
        public let files: [String]
        public init(bundle: String, files: [String]) {
            self.bundle = bundle
            self.files = files
        }
    }

    /// The API's own: the OpenAPI contract served at `/openapi.json` and `/docs`, and the font
    /// receipt PDFs embed (`ReceiptFonts`).
    public static let api = Requirement(bundle: "Drop_DropAPI.resources",
                                        files: ["openapi.json", "Fonts/DejaVuSans.ttf", "Fonts/DejaVuSans-Bold.ttf",
                                                                "Fonts/NotoSansArabic-Regular.ttf", "Fonts/NotoSansArabic-Bold.ttf"]
                                            + ReceiptText.files)

    /// One line per missing bundle or file; empty when everything is in place.
    public static func problems(_ requirements: [Requirement],
                                besideExecutableIn directory: URL = Bundle.main.bundleURL) -> [String] {
        var problems: [String] = []
        for requirement in requirements {
            let bundle = directory.appendingPathComponent(requirement.bundle)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: bundle.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                problems.append("resource bundle \(requirement.bundle) is missing beside the binary in \(directory.path): copy every *.resources folder with the drop binary")
                continue
            }
            for file in requirement.files {
                let path = bundle.appendingPathComponent(file).path
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
                if size == nil || size == 0 {
                    problems.append("\(requirement.bundle)/\(file) is missing or empty")
                }
            }
        }
        return problems
    }
}
