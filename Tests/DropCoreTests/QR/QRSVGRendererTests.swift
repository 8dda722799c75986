import Testing
@testable import DropCore

@Suite("QR SVG rendering")
struct QRSVGRendererTests {
    @Test func documentShape() throws {
        let code = try QRCode(text: "https://drop.no/pay/ABC123")
        let svg = code.svg(title: "Betal Kaffebrenneriet")
        let extent = code.size + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains("viewBox=\"0 0 \(extent) \(extent)\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains("<title>Betal Kaffebrenneriet</title>"))
        #expect(svg.components(separatedBy: "<path").count == 2, "exactly one path")
        #expect(!svg.contains("width=\"100%\""))
    }

    @Test func titleIsEscaped() throws {
        let svg = try QRCode(text: "x").svg(title: "Ås & <Søn> \"AS\" 'x'\u{1}")
        #expect(svg.contains("<title>Ås &amp; &lt;Søn&gt; &quot;AS&quot; &apos;x&apos;</title>"))
    }

    /// Parsing the path back gives exactly the dark modules, shifted by the quiet zone.
    @Test(arguments: ["a", "https://drop.no/pay/ABC123?amount=12345&ref=Faktura%201001", String(repeating: "æøå", count: 60)])
    func pathCoversExactlyTheDarkModules(payload: String) throws {
        let code = try QRCode(text: payload)
        let svg = code.svg(title: "QR")
        let d = try #require(svg.split(separator: "d=\"").last?.split(separator: "\"").first)
        var painted = Set<[Int]>()
        for subpath in d.split(separator: "z") {
            // Each subpath is "M{x} {y}h{n}v1h-{n}".
            let parts = subpath.dropFirst().split(whereSeparator: { $0 == " " || $0 == "h" || $0 == "v" })
            let numbers = parts.compactMap { Int($0) }
            try #require(numbers.count == 5)
            let (x, y, length) = (numbers[0], numbers[1], numbers[2])
            #expect(numbers[3] == 1 && numbers[4] == -length)
            for column in x..<x + length { painted.insert([y - QRCode.quietZone, column - QRCode.quietZone]) }
        }
        var dark = Set<[Int]>()
        for row in 0..<code.size {
            for column in 0..<code.size where code.isDark(row: row, column: column) { dark.insert([row, column]) }
        }
        #expect(painted == dark)
    }
}
