/// A small PDF 1.4 writer for documents made of lines of text, such as a receipt: A4 pages,
/// Helvetica and Helvetica-Bold (two of the 14 standard fonts every PDF reader has, so nothing is
/// embedded) in WinAnsiEncoding, which covers Norwegian and the other Western European letters.
/// A character outside that set is written as "?" rather than dropped. Text that would run off
/// the bottom of a page continues on a new one. Pure: it returns the file's bytes.
public struct PDFDocument: Sendable {
    public enum Weight: Sendable { case regular, bold }

    /// A colour as 0...1 red, green, blue.
    public struct Colour: Sendable, Equatable {
        public let red: Double, green: Double, blue: Double
        public init(red: Double, green: Double, blue: Double) {
            self.red = red
            self.green = green
            self.blue = blue
        }
        public static let black = Colour(red: 0, green: 0, blue: 0)
        public static let grey = Colour(red: 0.33, green: 0.36, blue: 0.41)
    }

    /// A4 in points, and the margins text keeps to.
    public static let pageWidth = 595.0, pageHeight = 842.0, margin = 56.0

    public let title: String
    private var pages: [[String]] = [[]]
    /// Where the next line's baseline goes, from the bottom of the page.
    private var cursor = PDFDocument.pageHeight - PDFDocument.margin

    public init(title: String) {
        self.title = title
    }

    /// One line of text at `x` (points from the left margin); `gap` is the space it takes below the
    /// line before. With `column`, a second text on the same baseline.
    public mutating func line(_ text: String, size: Double = 10, weight: Weight = .regular, colour: Colour = .black,
                              x: Double = 0, column: (x: Double, text: String, weight: Weight)? = nil, gap: Double? = nil) {
        advance(by: gap ?? size * 1.45)
        draw(text, size: size, weight: weight, colour: colour, x: x)
        if let column { draw(column.text, size: size, weight: column.weight, colour: colour, x: column.x) }
    }

    /// Empty space.
    public mutating func space(_ points: Double) {
        advance(by: points)
    }

    /// A thin horizontal rule across the text width.
    public mutating func rule(gap: Double = 8) {
        advance(by: gap)
        let y = Self.number(cursor)
        pages[pages.count - 1].append("0.8 G 0.5 w \(Self.number(Self.margin)) \(y) m \(Self.number(Self.pageWidth - Self.margin)) \(y) l S")
    }

    /// `text` broken at spaces into lines of at most `width` characters (a word longer than that
    /// is cut), for a value that may be long, such as a message.
    public static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            var word = word
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty { current = word } else if current.count + 1 + word.count <= width { current += " " + word } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }

    /// The finished file.
    public func bytes() -> [UInt8] {
        // Objects: 1 catalog, 2 page tree, 3 and 4 the fonts, 5 the info, then a page and its contents per page.
        var objects: [[UInt8]] = []
        let pageIds = pages.indices.map { 6 + 2 * $0 }
        objects.append(Self.ascii("<< /Type /Catalog /Pages 2 0 R >>"))
        objects.append(Self.ascii("<< /Type /Pages /Kids [\(pageIds.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>"))
        objects.append(Self.ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"))
        objects.append(Self.ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"))
        objects.append(Self.ascii("<< /Title ") + Self.literal(title) + Self.ascii(" /Producer (Drop) >>"))
        for (index, page) in pages.enumerated() {
            objects.append(Self.ascii("""
                << /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Self.number(Self.pageWidth)) \(Self.number(Self.pageHeight))] \
                /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents \(pageIds[index] + 1) 0 R >>
                """))
            var content: [UInt8] = []
            for operation in page { content += Self.winAnsi(operation) + [0x0A] }
            objects.append(Self.ascii("<< /Length \(content.count) >>\nstream\n") + content + Self.ascii("endstream"))
        }
        var file = Self.ascii("%PDF-1.4\n") + [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A]  // binary marker comment
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(file.count)
            file += Self.ascii("\(index + 1) 0 obj\n") + body + Self.ascii("\nendobj\n")
        }
        let xref = file.count
        file += Self.ascii("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n")
        for offset in offsets { file += Self.ascii(String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n") }
        file += Self.ascii("trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 5 0 R >>\nstartxref\n\(xref)\n%%EOF\n")
        return file
    }

    // MARK: Drawing

    private mutating func advance(by points: Double) {
        cursor -= points
        if cursor < Self.margin {
            pages.append([])
            cursor = Self.pageHeight - Self.margin - points
        }
    }

    private mutating func draw(_ text: String, size: Double, weight: Weight, colour: Colour, x: Double) {
        let font = weight == .bold ? "F2" : "F1"
        let fill = "\(Self.number(colour.red)) \(Self.number(colour.green)) \(Self.number(colour.blue)) rg"
        let position = "\(Self.number(Self.margin + x)) \(Self.number(cursor))"
        // The operation is kept as text; `bytes()` encodes it, so the string's letters become WinAnsi bytes.
        pages[pages.count - 1].append("BT \(fill) /\(font) \(Self.number(size)) Tf \(position) Td \(Self.escaped(text)) Tj ET")
    }

    // MARK: Encoding

    /// A PDF literal string's text: backslash, parentheses and line breaks escaped.
    static func escaped(_ text: String) -> String {
        var result = "("
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "(": result += "\\("
            case ")": result += "\\)"
            case "\n", "\r", "\r\n", "\t": result += " "
            default: result.append(character)
            }
        }
        return result + ")"
    }

    private static func literal(_ text: String) -> [UInt8] { winAnsi(escaped(text)) }

    private static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Up to four decimals, no exponent, "." as the separator.
    static func number(_ value: Double) -> String {
        let scaled = Int64((value * 10_000).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        var fraction = String(magnitude % 10_000)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(magnitude / 10_000) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// WinAnsiEncoding (Windows-1252) bytes; "?" for what it has no code for. Spaces of other
    /// widths (no-break, narrow no-break, thin) are written as the no-break space or a space.
    static func winAnsi(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20...0x7E, 0xA0...0xFF: bytes.append(UInt8(scalar.value))
            case 0x202F, 0x2009, 0x2007: bytes.append(0xA0)
            default: bytes.append(windows1252[scalar.value] ?? 0x3F)
            }
        }
        return bytes
    }

    /// The letters and signs Windows-1252 puts in 0x80–0x9F.
    private static let windows1252: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02C6: 0x88,
        0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93,
        0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B,
        0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]
}
