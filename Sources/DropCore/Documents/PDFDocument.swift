/// A small PDF 1.4 writer for documents made of lines of text, such as a receipt, on A4 pages.
/// Text that would run off the bottom of a page continues on a new one. Pure: it returns the
/// file's bytes.
///
/// Two ways to write the letters:
/// - Without `fonts`, Helvetica and Helvetica-Bold (two of the 14 standard fonts every PDF reader
///   has, so nothing is embedded) in WinAnsiEncoding, which covers Norwegian and the other Western
///   European letters. A character outside that set is written as "?" rather than dropped.
/// - With `fonts` (TrueType, `PDFFont`), each font is embedded as a subset of only the glyphs the
///   document uses (a Type0 font, Identity-H, with a ToUnicode map so a reader copies the real
///   characters), so any letter the font has can be written: Polish, and Arabic and Urdu shaped
///   into joined forms and laid out right to left (`PDFTextLayout`). A character the font lacks is "?".
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

    /// The regular and bold TrueType fonts a document embeds instead of Helvetica, and optionally a
    /// second pair for what the first lacks (an Arabic-script font with no Latin letters, say).
    public struct Fonts: Sendable {
        public let regular: PDFFont, bold: PDFFont
        public let fallback: (regular: PDFFont, bold: PDFFont)?
        public init(regular: PDFFont, bold: PDFFont, fallback: (regular: PDFFont, bold: PDFFont)? = nil) {
            self.regular = regular
            self.bold = bold
            self.fallback = fallback
        }

        /// The faces by index: 0 regular, 1 bold, then the fallback's regular and bold (2, 3).
        var faces: [PDFFont] { [regular, bold] + (fallback.map { [$0.regular, $0.bold] } ?? []) }
    }

    /// What a page draws: PDF operations as text, or text in an embedded font whose glyph ids are
    /// only known once the subset is made (`bytes()`).
    private enum Operation {
        case plain(String)
        /// A line: where it starts, then runs of glyphs, each in one face (an index into `Fonts.faces`).
        case glyphs(prefix: String, size: String, runs: [(face: Int, glyphs: [UInt16])])
    }

    public let title: String
    public let fonts: Fonts?
    /// Right to left (Arabic, Urdu): `x` is measured from the right margin and text ends there.
    public let rightToLeft: Bool
    private var pages: [[Operation]] = [[]]
    /// The glyphs used in each embedded face (`Fonts.faces`), in first use, and the text each stands for.
    private var used: [[UInt16]] = [[], [], [], []]
    private var meaning: [[UInt16: String]] = [[:], [:], [:], [:]]
    /// Where the next line's baseline goes, from the bottom of the page.
    private var cursor = PDFDocument.pageHeight - PDFDocument.margin

    public init(title: String, fonts: Fonts? = nil, rightToLeft: Bool = false) {
        self.title = title
        self.fonts = fonts
        self.rightToLeft = rightToLeft && fonts != nil
    }

    /// One line of text at `x` (points from the left margin, or the right one right to left); `gap` is the space it takes below the
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
        pages[pages.count - 1].append(.plain("0.8 G 0.5 w \(Self.number(Self.margin)) \(y) m \(Self.number(Self.pageWidth - Self.margin)) \(y) l S"))
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
        // Objects: 1 catalog, 2 page tree, 3 and 4 the fonts, 5 the info, then a page and its contents
        // per page; with embedded fonts, then each font's CID font, descriptor, font file and ToUnicode map.
        var objects: [[UInt8]] = []
        let pageIds = pages.indices.map { 6 + 2 * $0 }
        let fontIds = 6 + 2 * pages.count
        objects.append(Self.ascii("<< /Type /Catalog /Pages 2 0 R >>"))
        objects.append(Self.ascii("<< /Type /Pages /Kids [\(pageIds.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>"))
        var embedded: [(objects: [[UInt8]], ids: [UInt16: UInt16])] = []
        // A fallback face is embedded only when a line used it; its Type0 font follows its other objects.
        var fallbackFonts: [(name: String, id: Int)] = []
        if let fonts {
            for (index, font) in fonts.faces.enumerated() where index < 2 || !used[index].isEmpty {
                let firstId = fontIds + 4 * 2 + 5 * fallbackFonts.count
                let font = Self.embed(font, glyphs: used[index], meaning: meaning[index], firstId: index < 2 ? fontIds + 4 * index : firstId)
                embedded.append(font)
                if index < 2 { objects.append(font.objects[0]) } else { fallbackFonts.append(("F\(index + 1)", firstId + 4)) }
            }
        } else {
            objects.append(Self.ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"))
            objects.append(Self.ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"))
        }
        objects.append(Self.ascii("<< /Title ") + Self.literal(title) + Self.ascii(" /Producer (Drop) >>"))
        for (index, page) in pages.enumerated() {
            objects.append(Self.ascii("""
                << /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Self.number(Self.pageWidth)) \(Self.number(Self.pageHeight))] \
                /Resources << /Font << /F1 3 0 R /F2 4 0 R\(fallbackFonts.map { " /\($0.name) \($0.id) 0 R" }.joined()) >> >> /Contents \(pageIds[index] + 1) 0 R >>
                """))
            var content: [UInt8] = []
            for operation in page {
                switch operation {
                case .plain(let text):
                    content += Self.winAnsi(text) + [0x0A]
                case .glyphs(let prefix, let size, let runs):
                    var line = prefix
                    for run in runs {
                        let ids = embedded[run.face].ids
                        line += " /F\(run.face + 1) \(size) Tf <" + run.glyphs.map { Self.hex4(Int(ids[$0] ?? 0)) }.joined() + "> Tj"
                    }
                    content += Self.ascii(line + " ET\n")
                }
            }
            objects.append(Self.ascii("<< /Length \(content.count) >>\nstream\n") + content + Self.ascii("endstream"))
        }
        for (index, font) in embedded.enumerated() { objects += font.objects.dropFirst() + (index < 2 ? [] : [font.objects[0]]) }
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

    /// An embedded font's objects: the Type0 font (its id is 3 or 4), then at `firstId` on its
    /// CID font, descriptor, subset font file and ToUnicode map; and the new id of each glyph.
    private static func embed(_ font: PDFFont, glyphs: [UInt16], meaning: [UInt16: String], firstId: Int) -> (objects: [[UInt8]], ids: [UInt16: UInt16]) {
        let (file, order) = font.subset(glyphs)
        var ids: [UInt16: UInt16] = [:]
        for (new, old) in order.enumerated() { ids[old] = UInt16(new) }
        // A subset's name starts with six capital letters that differ between subsets.
        var hash: UInt32 = 2_166_136_261
        for glyph in order { hash = (hash ^ UInt32(glyph)) &* 16_777_619 }
        let tag = String((0..<6).map { Character(Unicode.Scalar(UInt8(65 + Int((hash >> (5 * UInt32($0))) % 26)))) })
        let name = "\(tag)+\(font.postScriptName)"
        let widths = order.map { String(Int(font.width(of: $0).rounded())) }.joined(separator: " ")
        let box = font.boundingBox
        let flags = 32 | (font.isBold ? 1 << 18 : 0)
        var map = ""
        let mapped = order.enumerated().compactMap { new, old in meaning[old].map { (new, $0) } }
        for start in stride(from: 0, to: mapped.count, by: 100) {
            let chunk = mapped[start..<min(start + 100, mapped.count)]
            map += "\(chunk.count) beginbfchar\n"
            for (id, text) in chunk { map += "<\(hex4(id))> <\(text.utf16.map { hex4(Int($0)) }.joined())>\n" }
            map += "endbfchar\n"
        }
        let cmap = ascii("""
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange
            \(map)endcmap
            CMapName currentdict /CMap defineresource pop
            end
            end
            """)
        return ([
            ascii("<< /Type /Font /Subtype /Type0 /BaseFont /\(name) /Encoding /Identity-H /DescendantFonts [\(firstId) 0 R] /ToUnicode \(firstId + 3) 0 R >>"),
            ascii("""
                << /Type /Font /Subtype /CIDFontType2 /BaseFont /\(name) /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                /FontDescriptor \(firstId + 1) 0 R /CIDToGIDMap /Identity /DW 1000 /W [0 [\(widths)]] >>
                """),
            ascii("""
                << /Type /FontDescriptor /FontName /\(name) /Flags \(flags) /FontBBox [\(font.scaled(box.0)) \(font.scaled(box.1)) \(font.scaled(box.2)) \(font.scaled(box.3))] \
                /ItalicAngle 0 /Ascent \(font.scaled(font.ascender)) /Descent \(font.scaled(font.descender)) /CapHeight \(font.scaled(font.capHeight)) \
                /StemV \(font.isBold ? 120 : 80) /FontFile2 \(firstId + 2) 0 R >>
                """),
            ascii("<< /Length \(file.count) /Length1 \(file.count) >>\nstream\n") + file + ascii("\nendstream"),
            ascii("<< /Length \(cmap.count) >>\nstream\n") + cmap + ascii("\nendstream"),
        ], ids)
    }

    private static func hex4(_ value: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
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
        guard let fonts else {
            let position = "\(Self.number(Self.margin + x)) \(Self.number(cursor))"
            // The operation is kept as text; `bytes()` encodes it, so the string's letters become WinAnsi bytes.
            pages[pages.count - 1].append(.plain("BT \(fill) /\(font) \(Self.number(size)) Tf \(position) Td \(Self.escaped(text)) Tj ET"))
            return
        }
        let primary = weight == .bold ? 1 : 0
        let faces = fonts.faces
        let glyphs = self.glyphs(text, primary: primary, fallback: faces.count > 2 ? primary + 2 : nil, faces: faces)
        var runs: [(face: Int, glyphs: [UInt16])] = []
        var width = 0.0
        for (face, glyph, meaning) in glyphs {
            if self.meaning[face][glyph] == nil {
                self.meaning[face][glyph] = meaning
                used[face].append(glyph)
            }
            width += faces[face].width(of: glyph) * size / 1000
            if runs.last?.face == face { runs[runs.count - 1].glyphs.append(glyph) } else { runs.append((face, [glyph])) }
        }
        let left = rightToLeft ? Self.pageWidth - Self.margin - x - width : Self.margin + x
        let position = "\(Self.number(left)) \(Self.number(cursor))"
        pages[pages.count - 1].append(.glyphs(prefix: "BT \(fill) \(position) Td", size: Self.number(size), runs: runs))
    }

    /// A line's glyphs in visual order, each in the first face that has it (the primary, then the
    /// fallback), with the text it stands for. Spaces of other widths are written as the no-break
    /// space, as in WinAnsi; what no face has as the primary's "?".
    private func glyphs(_ text: String, primary: Int, fallback: Int?, faces: [PDFFont]) -> [(face: Int, glyph: UInt16, meaning: String)] {
        let question = faces[primary].glyph(for: "?") ?? 0
        let order = [primary] + (fallback.map { [$0] } ?? [])
        func find(_ scalar: Unicode.Scalar) -> (face: Int, glyph: UInt16)? {
            for face in order { if let glyph = faces[face].glyph(for: scalar) { return (face, glyph) } }
            return nil
        }
        return PDFTextLayout.visual(text, rightToLeft: rightToLeft) { find($0) != nil }.map { item in
            var scalar = item.scalar
            if [0x202F, 0x2009, 0x2007].contains(scalar.value) { scalar = "\u{00A0}" }
            if ["\n", "\r", "\t"].contains(scalar) { scalar = " " }
            guard let found = find(scalar) else { return (primary, question, "?") }
            return (found.face, found.glyph, scalar == item.scalar ? item.text : String(scalar))
        }
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
