import Foundation

/// How a line of text becomes the glyphs a PDF draws, left to right: Arabic letters shaped into
/// their joined forms (Unicode's presentation forms, lam-alef as one ligature) and right-to-left
/// runs put in visual order. A deliberately small bidirectional algorithm: letters of Arabic
/// script are right to left; Latin letters and every digit are left to right, so an amount, an
/// IBAN or a date's numbers are never reversed; spaces and punctuation take the direction of the
/// text on both sides, or the line's when those differ. Bidi control characters are dropped.
enum PDFTextLayout {
    /// A character to draw and the text it stands for (a joined form stands for its letter), which
    /// a PDF reader gives back when text is copied. The lam-alef ligature stands for itself: a
    /// reader that puts right-to-left text back in logical order would reverse its two letters;
    /// Unicode's compatibility normalisation (NFKC) turns it into lam and alef.
    struct Glyph: Equatable {
        let scalar: Unicode.Scalar
        let text: String
    }

    /// `text` in visual order. Each text is its own paragraph, as an HTML `<bdi>` is: its direction
    /// is that of its first letter or digit (so a Latin name or an amount on an Arabic line keeps
    /// its brackets and signs where they were), the document's when it has none. `has` says whether
    /// the font can draw a character: a joined form it lacks is drawn as the plain letter.
    static func visual(_ text: String, rightToLeft: Bool, has: (Unicode.Scalar) -> Bool) -> [Glyph] {
        let shaped = shape(Array(text.unicodeScalars), has: has)
        let first = shaped.lazy.map { direction(of: $0.text.unicodeScalars.first!) }.first { $0 != .neutral }
        guard first == .right || (first == nil && rightToLeft) || shaped.contains(where: { direction(of: $0.text.unicodeScalars.first!) == .right })
        else { return shaped }
        return reorder(shaped, rightToLeft: first.map { $0 == .right } ?? rightToLeft)
    }

    // MARK: Shaping

    enum Joining { case none, right, dual, causing, transparent }

    static func joining(_ scalar: Unicode.Scalar) -> Joining {
        if scalar.value == 0x0640 || scalar.value == 0x200D { return .causing }
        if scalar.properties.generalCategory == .nonspacingMark { return .transparent }
        switch forms[scalar.value]?.count {
        case 4: return .dual
        case 2, 3: return .right
        default: return .none
        }
    }

    /// Each Arabic letter's presentation forms, [isolated, final, initial, medial] (two for a letter
    /// that joins only to the letter before it), read from Unicode's compatibility mappings.
    static let forms: [UInt32: [Unicode.Scalar]] = {
        var result: [UInt32: [Unicode.Scalar]] = [:]
        var base: UInt32?
        var run: [Unicode.Scalar] = []
        func flush() {
            if let base, run.count > (result[base]?.count ?? 0) { result[base] = run }
            run = []
        }
        for code in Array(0xFB50...0xFDFF) + Array(0xFE70...0xFEFC) {
            guard let scalar = Unicode.Scalar(code) else { continue }
            let plain = Array(String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars)
            guard plain.count == 1, (0x0620...0x06FF).contains(plain[0].value) else {
                flush()
                base = nil
                continue
            }
            if plain[0].value != base || run.count == 4 {
                flush()
                base = plain[0].value
            }
            run.append(scalar)
        }
        flush()
        return result
    }()

    private static let lamAlef: [UInt32: UInt32] = [0x0622: 0xFEF5, 0x0623: 0xFEF7, 0x0625: 0xFEF9, 0x0627: 0xFEFB]

    static func shape(_ scalars: [Unicode.Scalar], has: (Unicode.Scalar) -> Bool) -> [Glyph] {
        let kept = scalars.filter { !isControl($0) }
        let types = kept.map(joining)
        func neighbour(_ index: Int, _ step: Int) -> Int? {
            var other = index + step
            while kept.indices.contains(other) {
                if types[other] != .transparent { return other }
                other += step
            }
            return nil
        }
        var glyphs: [Glyph] = []
        var skip: Int?
        for (index, scalar) in kept.enumerated() {
            if index == skip { continue }
            if scalar.value == 0x200C || scalar.value == 0x200D { continue }
            let type = types[index]
            guard type == .dual || type == .right, let letterForms = forms[scalar.value] else {
                glyphs.append(Glyph(scalar: scalar, text: String(scalar)))
                continue
            }
            let previous = neighbour(index, -1).map { types[$0] }
            let joinsBefore = previous == .dual || previous == .causing
            let next = neighbour(index, 1)
            // Lam followed by alef: one ligature, joined to the letter before or not.
            if scalar.value == 0x0644, let next, let ligature = lamAlef[kept[next].value],
               let form = Unicode.Scalar(ligature + (joinsBefore ? 1 : 0)), has(form), next == index + 1 {
                glyphs.append(Glyph(scalar: form, text: String(form)))
                skip = next
                continue
            }
            let nextType = next.map { types[$0] }
            let joinsAfter = type == .dual && (nextType == .dual || nextType == .right || nextType == .causing)
            let position = joinsBefore && type != .none ? (joinsAfter ? 3 : 1) : (joinsAfter ? 2 : 0)
            let form = position < letterForms.count ? letterForms[position] : letterForms[0]
            glyphs.append(Glyph(scalar: has(form) ? form : scalar, text: String(scalar)))
        }
        return glyphs
    }

    /// Marks that only steer direction or joining, which no font draws.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    // MARK: Direction

    enum Direction { case left, right, neutral }

    static func direction(of scalar: Unicode.Scalar) -> Direction {
        let value = scalar.value
        let rightToLeftScript = (0x0590...0x08FF).contains(value) || (0xFB1D...0xFDFF).contains(value) || (0xFE70...0xFEFF).contains(value)
        if rightToLeftScript { return scalar.properties.isAlphabetic ? .right : .neutral }
        if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return .left }
        return .neutral
    }

    private static let mirrored: [UInt32: UInt32] = [0x28: 0x29, 0x29: 0x28, 0x5B: 0x5D, 0x5D: 0x5B, 0x7B: 0x7D, 0x7D: 0x7B,
                                                     0x3C: 0x3E, 0x3E: 0x3C, 0xAB: 0xBB, 0xBB: 0xAB]

    /// Runs of one direction; the line's runs in reverse order if it is right to left, and each
    /// right-to-left run's characters reversed (with a letter's marks), brackets mirrored.
    static func reorder(_ glyphs: [Glyph], rightToLeft: Bool) -> [Glyph] {
        // Clusters: a character and the marks on it.
        var clusters: [[Glyph]] = []
        for glyph in glyphs {
            if glyph.scalar.properties.generalCategory == .nonspacingMark, !clusters.isEmpty {
                clusters[clusters.count - 1].append(glyph)
            } else {
                clusters.append([glyph])
            }
        }
        let line: Direction = rightToLeft ? .right : .left
        var directions = clusters.map { direction(of: $0[0].text.unicodeScalars.first!) }
        // A percent sign next to a digit is part of the number: "0.5%" stays one left-to-right run.
        func isDigit(_ index: Int) -> Bool { clusters.indices.contains(index) && clusters[index][0].scalar.properties.numericType != nil }
        for (index, cluster) in clusters.enumerated() where ["%", "\u{2030}", "\u{066A}"].contains(cluster[0].scalar) {
            if isDigit(index - 1) || isDigit(index + 1) { directions[index] = .left }
        }
        var index = 0
        while index < directions.count {
            guard directions[index] == .neutral else { index += 1; continue }
            var end = index
            while end < directions.count, directions[end] == .neutral { end += 1 }
            let before = index > 0 ? directions[index - 1] : line
            let after = end < directions.count ? directions[end] : line
            for neutral in index..<end { directions[neutral] = before == after ? before : line }
            index = end
        }
        var runs: [(Direction, [[Glyph]])] = []
        for (cluster, direction) in zip(clusters, directions) {
            if let last = runs.last, last.0 == direction {
                runs[runs.count - 1].1.append(cluster)
            } else {
                runs.append((direction, [cluster]))
            }
        }
        if rightToLeft { runs.reverse() }
        return runs.flatMap { direction, clusters -> [Glyph] in
            guard direction == .right else { return clusters.flatMap { $0 } }
            // A mark goes before its letter: the font's Arabic marks have no width and are drawn over
            // the letter that follows them.
            return clusters.reversed().flatMap { cluster in
                cluster.reversed().map { glyph in
                    guard let mirror = mirrored[glyph.scalar.value].flatMap(Unicode.Scalar.init) else { return glyph }
                    return Glyph(scalar: mirror, text: String(mirror))
                }
            }
        }
    }
}
