/// Draws a `QRCode` as a standalone SVG document.
///
/// The viewBox is in modules (symbol plus quiet zone) and there is no width or height, so the
/// image scales to whatever box the page gives it. All dark modules are one `<path>`, drawn with
/// `shape-rendering="crispEdges"` so adjacent modules do not show anti-aliased seams. A white
/// background keeps the quiet zone light on dark pages, and the `<title>` names the image for
/// screen readers.
public struct QRSVGRenderer: Sendable {
    /// Accessible name, e.g. "QR code to pay Kaffebrenneriet".
    public var title: String

    public init(title: String) {
        self.title = title
    }

    public func render(_ code: QRCode) -> String {
        let margin = QRCode.quietZone
        let extent = code.size + 2 * margin
        var path = ""
        // One horizontal run of dark modules per subpath keeps the path short.
        for row in 0..<code.size {
            var column = 0
            while column < code.size {
                guard code.isDark(row: row, column: column) else { column += 1; continue }
                let start = column
                while column < code.size && code.isDark(row: row, column: column) { column += 1 }
                let length = column - start
                path += "M\(start + margin) \(row + margin)h\(length)v1h-\(length)z"
            }
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(extent) \(extent)" \
        shape-rendering="crispEdges" role="img"><title>\(XMLWriter.escaped(title))</title>\
        <rect width="\(extent)" height="\(extent)" fill="#fff"/>\
        <path fill="#000" d="\(path)"/></svg>
        """
    }
}
