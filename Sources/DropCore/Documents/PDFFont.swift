/// A TrueType font (a `.ttf` file's bytes) a `PDFDocument` embeds, so its text can be in any
/// script the font draws: Polish, Arabic and Urdu as well as Norwegian. Parsed once from the
/// bytes (`head`, `hhea`, `maxp`, `hmtx`, `loca`, `glyf`, `cmap` formats 4 and 12, `OS/2`,
/// `name`); a file that is truncated or not a TrueType font is refused with `Invalid`, never a
/// crash. `subset(_:)` writes a smaller font of only the glyphs a document uses. Pure: the bytes
/// come in as a value (DropAPI reads them from its bundled resources).
public struct PDFFont: Sendable {
    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// The PostScript name (`name` table, id 6), e.g. "DejaVuSans".
    public let postScriptName: String
    public let unitsPerEm: Int
    /// In font units: `head`'s bounding box, `hhea`'s ascender and descender, `OS/2`'s cap height.
    let boundingBox: (Int, Int, Int, Int)
    let ascender: Int, descender: Int, capHeight: Int
    let isBold: Bool
    let glyphCount: Int
    /// Unicode scalar → glyph id.
    let characterMap: [UInt32: UInt16]
    /// Advance width per glyph id, in font units.
    let advances: [UInt16]
    /// Where each glyph's outline is in `glyf` (`glyphCount + 1` offsets).
    let glyphOffsets: [Int]
    private let tables: [String: ArraySlice<UInt8>]

    public init(trueType bytes: [UInt8]) throws {
        let file = Reader(bytes: bytes)
        let version = try file.u32(0)
        guard version == 0x0001_0000 || version == 0x7472_7565 else { throw Invalid(description: "not a TrueType font") }
        let count = try file.u16(4)
        var tables: [String: ArraySlice<UInt8>] = [:]
        for index in 0..<count {
            let record = 12 + 16 * index
            let tag = String(decoding: try file.slice(record, 4), as: UTF8.self)
            let offset = try file.u32(record + 8), length = try file.u32(record + 12)
            tables[tag] = try file.slice(Int(offset), Int(length))
        }
        func table(_ tag: String) throws -> Reader {
            guard let slice = tables[tag] else { throw Invalid(description: "no \(tag) table") }
            return Reader(bytes: Array(slice))
        }
        let head = try table("head"), hhea = try table("hhea"), maxp = try table("maxp")
        unitsPerEm = try head.u16(18)
        guard unitsPerEm >= 16 else { throw Invalid(description: "unitsPerEm \(unitsPerEm)") }
        boundingBox = (try head.i16(36), try head.i16(38), try head.i16(40), try head.i16(42))
        isBold = try head.u16(44) & 1 == 1
        let longOffsets = try head.i16(50) == 1
        ascender = try hhea.i16(4)
        descender = try hhea.i16(6)
        let metricsCount = try hhea.u16(34)
        glyphCount = try maxp.u16(4)
        guard glyphCount > 0, metricsCount > 0, metricsCount <= glyphCount else { throw Invalid(description: "no glyphs") }

        let hmtx = try table("hmtx")
        var advances: [UInt16] = []
        advances.reserveCapacity(glyphCount)
        for glyph in 0..<metricsCount { advances.append(UInt16(try hmtx.u16(4 * glyph))) }
        while advances.count < glyphCount { advances.append(advances[metricsCount - 1]) }
        self.advances = advances

        let loca = try table("loca"), glyf = try table("glyf")
        var offsets: [Int] = []
        offsets.reserveCapacity(glyphCount + 1)
        for glyph in 0...glyphCount {
            let offset = longOffsets ? try loca.u32(4 * glyph) : try loca.u16(2 * glyph) * 2
            guard offset <= glyf.bytes.count, offset >= (offsets.last ?? 0) else { throw Invalid(description: "loca out of order") }
            offsets.append(offset)
        }
        glyphOffsets = offsets

        characterMap = try Self.characterMap(try table("cmap"), glyphCount: glyphCount)
        if let os2 = tables["OS/2"].map({ Reader(bytes: Array($0)) }), (try? os2.u16(0)) ?? 0 >= 2, let cap = try? os2.i16(88) {
            capHeight = cap
        } else {
            capHeight = ascender
        }
        postScriptName = tables["name"].flatMap { Self.postScriptName(Reader(bytes: Array($0))) } ?? "Embedded"
        self.tables = tables
    }

    /// The glyph for a character, nil if the font has none.
    public func glyph(for scalar: Unicode.Scalar) -> UInt16? {
        characterMap[scalar.value].flatMap { $0 == 0 ? nil : $0 }
    }

    /// A glyph's advance in thousandths of the font size.
    func width(of glyph: UInt16) -> Double {
        Double(advances[Int(glyph)]) * 1000 / Double(unitsPerEm)
    }

    /// Thousandths of an em, as PDF font dictionaries want them.
    func scaled(_ units: Int) -> Int {
        Int((Double(units) * 1000 / Double(unitsPerEm)).rounded())
    }

    // MARK: Subsetting

    /// A TrueType file with only `glyphs` (and .notdef, and the parts of composite glyphs),
    /// renumbered in the order given after .notdef: glyph `glyphs[i]` becomes `i + 1`. The tables
    /// a PDF reader needs to draw (`head`, `hhea`, `maxp`, `hmtx`, `loca`, `glyf`, the hinting
    /// tables, `OS/2`, a `post` without names) and an empty `cmap`, as the PDF names glyphs by id.
    /// Returns the file and the full order (composite parts may be appended after `glyphs`).
    func subset(_ glyphs: [UInt16]) -> (file: [UInt8], order: [UInt16]) {
        var order: [UInt16] = [0]
        var index: [UInt16: UInt16] = [0: 0]
        func add(_ glyph: UInt16) {
            guard index[glyph] == nil, Int(glyph) < glyphCount else { return }
            index[glyph] = UInt16(order.count)
            order.append(glyph)
        }
        for glyph in glyphs { add(glyph) }
        // Composite glyphs' components, and theirs (the list grows while it is walked).
        var position = 0
        while position < order.count {
            for component in components(of: order[position]) { add(component) }
            position += 1
        }

        let glyf = tables["glyf"].map(Array.init) ?? []
        var newGlyf: [UInt8] = [], newLoca: [UInt8] = [], newHmtx: [UInt8] = []
        for glyph in order {
            newLoca += Self.be32(newGlyf.count)
            var outline = Array(glyf[glyphOffsets[Int(glyph)]..<glyphOffsets[Int(glyph) + 1]])
            rewriteComponents(&outline) { index[$0] ?? 0 }
            newGlyf += outline
            while newGlyf.count % 4 != 0 { newGlyf.append(0) }
            let leftBearing = outline.count >= 4 ? Array(outline[2..<4]) : [0, 0]
            newHmtx += Self.be16(Int(advances[Int(glyph)])) + leftBearing
        }
        newLoca += Self.be32(newGlyf.count)

        var head = Array(tables["head"]!)
        head.replaceSubrange(8..<12, with: [0, 0, 0, 0])  // checkSumAdjustment, set below
        head.replaceSubrange(50..<52, with: [0, 1])  // long loca offsets
        var hhea = Array(tables["hhea"]!)
        hhea.replaceSubrange(34..<36, with: Self.be16(order.count))
        var maxp = Array(tables["maxp"]!)
        maxp.replaceSubrange(4..<6, with: Self.be16(order.count))
        var out: [(String, [UInt8])] = [("head", head), ("hhea", hhea), ("maxp", maxp), ("hmtx", newHmtx), ("loca", newLoca), ("glyf", newGlyf)]
        // An empty Unicode cmap (one closing segment): the PDF names glyphs by id, but some readers
        // want the table there.
        let cmap: [UInt8] = [0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12] + [0, 4, 0, 24, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0]
            + [0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 1, 0, 0]
        out.append(("cmap", cmap))
        for tag in ["cvt ", "fpgm", "prep", "OS/2"] { if let table = tables[tag] { out.append((tag, Array(table))) } }
        if let post = tables["post"], post.count >= 32 {
            out.append(("post", [0, 3, 0, 0] + Array(post.dropFirst(4).prefix(28))))  // format 3: no glyph names
        }
        out.sort { $0.0 < $1.0 }

        let count = out.count
        var power = 1, log = 0
        while power * 2 <= count { power *= 2; log += 1 }
        var file: [UInt8] = [0, 1, 0, 0] + Self.be16(count) + Self.be16(power * 16) + Self.be16(log) + Self.be16(count * 16 - power * 16)
        var offset = 12 + 16 * count
        var headOffset = 0
        for (tag, table) in out {
            if tag == "head" { headOffset = offset }
            file += Array(tag.utf8) + Self.be32(Self.checksum(table)) + Self.be32(offset) + Self.be32(table.count)
            offset += (table.count + 3) / 4 * 4
        }
        for (_, table) in out {
            file += table
            while file.count % 4 != 0 { file.append(0) }
        }
        let adjustment = (0xB1B0_AFBA &- Self.checksum(file)) & 0xFFFF_FFFF
        file.replaceSubrange(headOffset + 8..<headOffset + 12, with: Self.be32(Int(adjustment)))
        return (file, order)
    }

    /// The glyphs a composite glyph is made of; none for a simple one.
    private func components(of glyph: UInt16) -> [UInt16] {
        var found: [UInt16] = []
        guard let glyf = tables["glyf"], Int(glyph) < glyphCount else { return [] }
        var outline = Array(glyf.dropFirst(glyphOffsets[Int(glyph)]).prefix(glyphOffsets[Int(glyph) + 1] - glyphOffsets[Int(glyph)]))
        rewriteComponents(&outline) { found.append($0); return $0 }
        return found
    }

    /// Walks a composite glyph's component records, replacing each glyph id with `map`'s answer.
    private func rewriteComponents(_ outline: inout [UInt8], _ map: (UInt16) -> UInt16) {
        guard outline.count >= 10, Int16(bitPattern: UInt16(outline[0]) << 8 | UInt16(outline[1])) < 0 else { return }
        var position = 10
        while position + 4 <= outline.count {
            let flags = Int(outline[position]) << 8 | Int(outline[position + 1])
            let component = UInt16(outline[position + 2]) << 8 | UInt16(outline[position + 3])
            let replacement = map(component)
            outline[position + 2] = UInt8(replacement >> 8)
            outline[position + 3] = UInt8(replacement & 0xFF)
            position += 4 + (flags & 0x1 != 0 ? 4 : 2)
            if flags & 0x8 != 0 { position += 2 } else if flags & 0x40 != 0 { position += 4 } else if flags & 0x80 != 0 { position += 8 }
            guard flags & 0x20 != 0 else { break }
        }
    }

    // MARK: Reading

    private static func characterMap(_ cmap: Reader, glyphCount: Int) throws -> [UInt32: UInt16] {
        let count = try cmap.u16(2)
        var format4: Int?, format12: Int?
        for index in 0..<count {
            let record = 4 + 8 * index
            let platform = try cmap.u16(record), encoding = try cmap.u16(record + 2), offset = try cmap.u32(record + 4)
            guard platform == 3 || platform == 0 else { continue }
            switch try cmap.u16(offset) {
            case 4 where format4 == nil: format4 = offset
            case 12 where format12 == nil && (platform == 0 || encoding == 10): format12 = offset
            default: break
            }
        }
        var map: [UInt32: UInt16] = [:]
        if let start = format12 {
            let groups = try cmap.u32(start + 12)
            guard groups <= (cmap.bytes.count - start) / 12 else { throw Invalid(description: "cmap groups") }
            for group in 0..<groups {
                let record = start + 16 + 12 * group
                let first = try cmap.u32(record), last = try cmap.u32(record + 4), glyph = try cmap.u32(record + 8)
                guard first <= last, last <= 0x10FFFF, last - first < 0x10000 else { throw Invalid(description: "cmap group") }
                for code in first...last where glyph + code - first < glyphCount { map[UInt32(code)] = UInt16(glyph + code - first) }
            }
        } else if let start = format4 {
            let segments = try cmap.u16(start + 6) / 2
            let ends = start + 14, starts = ends + 2 * segments + 2, deltas = starts + 2 * segments, ranges = deltas + 2 * segments
            for segment in 0..<segments {
                let first = try cmap.u16(starts + 2 * segment), last = try cmap.u16(ends + 2 * segment)
                let delta = try cmap.u16(deltas + 2 * segment), rangeOffset = try cmap.u16(ranges + 2 * segment)
                guard first <= last, first != 0xFFFF else { continue }
                for code in first...last {
                    var glyph: Int
                    if rangeOffset == 0 {
                        glyph = (code + delta) & 0xFFFF
                    } else {
                        glyph = try cmap.u16(ranges + 2 * segment + rangeOffset + 2 * (code - first))
                        if glyph != 0 { glyph = (glyph + delta) & 0xFFFF }
                    }
                    if glyph != 0, glyph < glyphCount { map[UInt32(code)] = UInt16(glyph) }
                }
            }
        } else {
            throw Invalid(description: "no Unicode cmap")
        }
        return map
    }

    private static func postScriptName(_ name: Reader) -> String? {
        guard let count = try? name.u16(2), let strings = try? name.u16(4) else { return nil }
        for index in 0..<count {
            let record = 6 + 12 * index
            guard let platform = try? name.u16(record), let id = try? name.u16(record + 6), id == 6,
                  let length = try? name.u16(record + 8), let offset = try? name.u16(record + 10),
                  let bytes = try? name.slice(strings + offset, length) else { continue }
            let text: String
            if platform == 1 {
                text = String(decoding: bytes, as: UTF8.self)
            } else if platform == 3 || platform == 0 {
                let units = stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
                text = String(decoding: units, as: UTF16.self)
            } else {
                continue
            }
            // A PDF name: letters, digits, and a few signs only.
            let clean = String(text.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") })
            if !clean.isEmpty { return clean }
        }
        return nil
    }

    /// Big-endian reads that throw past the end rather than trap.
    struct Reader {
        let bytes: [UInt8]
        func u16(_ offset: Int) throws -> Int {
            guard offset >= 0, offset + 2 <= bytes.count else { throw Invalid(description: "truncated") }
            return Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
        }
        func i16(_ offset: Int) throws -> Int { Int(Int16(bitPattern: UInt16(try u16(offset)))) }
        func u32(_ offset: Int) throws -> Int { try u16(offset) << 16 | u16(offset + 2) }
        func slice(_ offset: Int, _ length: Int) throws -> ArraySlice<UInt8> {
            guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else { throw Invalid(description: "truncated") }
            return bytes[offset..<offset + length]
        }
    }

    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func be32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }

    static func checksum(_ bytes: [UInt8]) -> Int {
        var sum: UInt32 = 0
        var index = 0
        while index < bytes.count {
            var word: UInt32 = 0
            for byte in 0..<4 { word = word << 8 | UInt32(index + byte < bytes.count ? bytes[index + byte] : 0) }
            sum &+= word
            index += 4
        }
        return Int(sum)
    }
}
