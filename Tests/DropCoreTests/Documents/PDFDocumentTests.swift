import DropTestTools
import Foundation
import Testing
@testable import DropCore

@Suite("PDF writer: text in a standard font or an embedded subset TrueType font (Polish, Arabic), read back by a real PDF reader")
struct PDFDocumentTests {
    @Test func norwegianLettersAndPunctuationReadBackAsWritten() throws {
        var document = PDFDocument(title: "Kvittering – Bjørn Åsen")
        document.line("Kvittering", size: 18, weight: .bold)
        document.line("Mottaker", column: (x: 180, text: "Bjørn Åsen (Ærlig Søren) \\ 100 €", weight: .bold))
        document.rule()
        document.line("Beløp", column: (x: 180, text: "2\u{00A0}512,50\u{00A0}kr", weight: .regular))
        document.line("李小龍")
        let bytes = document.bytes()
        #expect(Array(bytes.prefix(8)) == Array("%PDF-1.4".utf8) && String(decoding: bytes.suffix(6), as: UTF8.self) == "%%EOF\n")
        do {
            let text = try PDFText.extract(bytes)
            #expect(text.contains("Kvittering"))
            #expect(text.range(of: #"Mottaker\s+Bjørn Åsen \(Ærlig Søren\) \\ 100 €"#, options: .regularExpression) != nil, "\(text)")
            #expect(text.contains("2 512,50 kr") || text.contains("2\u{00A0}512,50\u{00A0}kr"), "\(text)")
            // No font here has Chinese letters: a question mark per letter, never a broken file.
            #expect(text.contains("???"))
        } catch is PDFText.Unavailable {
            #expect(!PDFText.isRequired, "pdftotext is required here")
        }
    }

    @Test func theCrossReferenceTablePointsAtEachObject() {
        var document = PDFDocument(title: "x")
        document.line("Hello")
        let bytes = document.bytes()
        let text = String(decoding: bytes, as: UTF8.self)
        let entries = text.components(separatedBy: "xref\n")[1].split(separator: "\n").dropFirst(2).prefix { $0.hasSuffix(" n ") }
        #expect(entries.count == 7)
        for (index, entry) in entries.enumerated() {
            let offset = Int(entry.prefix(10))!
            let header = Array("\(index + 1) 0 obj\n".utf8)
            #expect(Array(bytes[offset..<offset + header.count]) == header, "object \(index + 1)")
        }
        let start = Int(text.components(separatedBy: "startxref\n")[1].split(separator: "\n")[0])!
        #expect(Array(bytes[start..<start + 4]) == Array("xref".utf8))
    }

    @Test func aLongDocumentContinuesOnANewPage() throws {
        var document = PDFDocument(title: "Long")
        for index in 1...80 { document.line("Line \(index)") }
        let bytes = document.bytes()
        #expect(String(decoding: bytes, as: UTF8.self).contains("/Count 2"))
        do {
            let text = try PDFText.extract(bytes)
            #expect(text.contains("Line 1\n") && text.contains("Line 80") && text.contains("\u{0C}"), "a form feed between the pages")
        } catch is PDFText.Unavailable {
            #expect(!PDFText.isRequired, "pdftotext is required here")
        }
    }

    @Test func wrappingKeepsWordsAndCutsOnlyWhatIsTooLong() {
        #expect(PDFDocument.wrapped("Til mamma, til bursdagen din", width: 12) == ["Til mamma,", "til", "bursdagen", "din"])
        #expect(PDFDocument.wrapped("ABCDEFGHIJKLMNOP", width: 6) == ["ABCDEF", "GHIJKL", "MNOP"])
        #expect(PDFDocument.wrapped("", width: 6) == [""])
    }

    // MARK: An embedded TrueType font

    /// DejaVu Sans as the API ships it (Sources/DropAPI/Features/Receipts/Fonts).
    static func font(_ name: String = "DejaVuSans") throws -> PDFFont {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/DropAPI/Features/Receipts/Fonts/\(name).ttf")
        return try PDFFont(trueType: Array(try #require(FileManager.default.contents(atPath: url.path))))
    }

    static func fonts() throws -> PDFDocument.Fonts {
        PDFDocument.Fonts(regular: try font(), bold: try font("DejaVuSans-Bold"))
    }

    @Test func polishLettersInAnEmbeddedSubsetFontReadBackAsWritten() throws {
        var document = PDFDocument(title: "Potwierdzenie – Zażółć", fonts: try Self.fonts())
        document.line("Potwierdzenie", size: 18, weight: .bold)
        document.line("Zażółć gęślą jaźń", column: (x: 180, text: "ŻÓŁW (Łódź) \\ 1\u{00A0}005,00\u{00A0}zł", weight: .bold))
        document.line("IBAN", column: (x: 180, text: "PL61 1090 1014 0000 0712 1981 2874", weight: .regular))
        document.line("李小龍")
        let bytes = document.bytes()
        let file = String(decoding: bytes, as: UTF8.self)
        #expect(file.contains("/Subtype /Type0") && file.contains("/Encoding /Identity-H") && file.contains("/CIDToGIDMap /Identity")
            && file.contains("/FontFile2") && file.contains("/ToUnicode") && !file.contains("/Helvetica"))
        #expect(file.firstMatch(of: #/\/BaseFont \/[A-Z]{6}\+DejaVuSans /#) != nil, "a subset's name")
        // Only the glyphs used: a small file, where the whole fonts are 1.4 MB.
        #expect(bytes.count < 40_000, "\(bytes.count) bytes")
        do {
            let text = try PDFText.extract(bytes).replacingOccurrences(of: "\u{00A0}", with: " ")
            #expect(text.contains("Potwierdzenie"))
            #expect(text.range(of: #"Zażółć gęślą jaźń\s+ŻÓŁW \(Łódź\) \\ 1 005,00 zł"#, options: .regularExpression) != nil, "\(text)")
            #expect(text.contains("PL61 1090 1014 0000 0712 1981 2874"))
            // DejaVu Sans has no Chinese letters: a question mark per letter, never a broken file.
            #expect(text.contains("???"))
        } catch is PDFText.Unavailable {
            #expect(!PDFText.isRequired, "pdftotext is required here")
        }
    }

    @Test func theSubsetIsAValidSmallerTrueTypeFont() throws {
        let font = try Self.font()
        let glyphs = "Zażółć".unicodeScalars.compactMap(font.glyph(for:))
        let subset = font.subset(glyphs)
        #expect(subset.order.first == 0 && Array(subset.order.dropFirst().prefix(glyphs.count)) == glyphs)
        #expect(subset.file.count < 20_000, "\(subset.file.count) bytes")
        // It parses again, each glyph under its new id with its width, and the file's checksum adds up.
        let again = try PDFFont(trueType: subset.file)
        #expect(again.glyphCount == subset.order.count)
        for (new, old) in subset.order.enumerated() { #expect(again.width(of: UInt16(new)) == font.width(of: old)) }
        #expect(PDFFont.checksum(subset.file) == 0xB1B0_AFBA)
    }

    @Test func aTruncatedOrGarbageFontIsRefusedWithoutACrash() throws {
        let bytes = Array(try #require(FileManager.default.contents(atPath: URL(fileURLWithPath: #filePath).path)))
        #expect(throws: PDFFont.Invalid.self) { try PDFFont(trueType: bytes) }
        #expect(throws: PDFFont.Invalid.self) { try PDFFont(trueType: []) }
        let real = Array(try #require(FileManager.default.contents(atPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/DropAPI/Features/Receipts/Fonts/DejaVuSans.ttf").path)))
        for length in [4, 12, 100, 400, 5_000, real.count / 2, real.count * 9 / 10] {
            #expect(throws: PDFFont.Invalid.self, "\(length) bytes") { try PDFFont(trueType: Array(real.prefix(length))) }
        }
        // A table directory pointing past the end, and random bytes behind a TrueType header.
        var wrong = real
        wrong.replaceSubrange(20..<24, with: [0x7F, 0xFF, 0xFF, 0xFF])
        #expect(throws: PDFFont.Invalid.self) { try PDFFont(trueType: wrong) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let garbage = [0, 1, 0, 0] + (0..<2_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? PDFFont(trueType: garbage)
        }
    }

    @Test func arabicIsShapedJoinedAndLaidOutRightToLeftWithNumbersLeftToRight() throws {
        let font = try Self.font()
        let has = { (scalar: Unicode.Scalar) in font.glyph(for: scalar) != nil }
        // بيت: beh initial, yeh medial, teh final; لا: the lam-alef ligature, isolated.
        #expect(PDFTextLayout.shape(Array("بيت لا".unicodeScalars), has: has).map(\.scalar)
            == ["\u{FE91}", "\u{FEF4}", "\u{FE96}", " ", "\u{FEFB}"])
        // Right to left: the Arabic word's letters reversed, the amount's digits kept in order.
        let visual = PDFTextLayout.visual("الرسوم 1 005,00 kr", rightToLeft: true, has: has)
        let text = String(String.UnicodeScalarView(visual.map(\.scalar))).precomposedStringWithCompatibilityMapping
        #expect(text == "1 005,00 kr " + String("الرسوم".reversed()), "\(text)")
        #expect(PDFTextLayout.visual("PL61 1090 1014", rightToLeft: true, has: has).map(\.text).joined() == "PL61 1090 1014")
        // Brackets mirrored in the Arabic run; the percentage one number, as Unicode's algorithm has it.
        let fee = PDFTextLayout.visual("الرسوم (0.5%)", rightToLeft: true, has: has).map(\.text).joined()
        #expect(fee == "(0.5%) " + String("الرسوم".reversed()), "\(fee)")

        var document = PDFDocument(title: "إيصال", fonts: try Self.fonts(), rightToLeft: true)
        document.line("إيصال", size: 16, weight: .bold)
        document.line("المستلم", column: (x: 170, text: "PL61 1090 1014 0000 0712 1981 2874", weight: .regular))
        document.line("المبلغ", column: (x: 170, text: "\u{061C}1\u{00A0}005,00\u{00A0}kr", weight: .regular))
        document.line("لا بأس")
        do {
            let read = try PDFText.extract(document.bytes()).precomposedStringWithCompatibilityMapping
            let plain = String(read.unicodeScalars.filter { !(0x202A...0x202E).contains($0.value) })
            for word in ["إيصال", "المستلم", "المبلغ", "لا بأس", "PL61 1090 1014 0000 0712 1981 2874", "1 005,00 kr"] {
                #expect(plain.contains(word) || plain.contains(String(word.reversed())), "\(word) in:\n\(plain)")
            }
        } catch is PDFText.Unavailable {
            #expect(!PDFText.isRequired, "pdftotext is required here")
        }
    }

    @Test func aFallbackFaceDrawsWhatTheFirstLacksAndIsEmbeddedOnlyWhenUsed() throws {
        // Noto Sans Arabic has Urdu's ہ and ے and their joined forms, and no Latin letters: DejaVu Sans draws those.
        let fonts = PDFDocument.Fonts(regular: try Self.font("NotoSansArabic-Regular"), bold: try Self.font("NotoSansArabic-Bold"),
                                      fallback: (try Self.font(), try Self.font("DejaVuSans-Bold")))
        var document = PDFDocument(title: "رسید", fonts: fonts, rightToLeft: true)
        document.line("رسید", size: 16, weight: .bold)
        document.line("وصول کنندہ", column: (x: 170, text: "Zofia Wójcik", weight: .regular))
        document.line("آپ کے اکاؤنٹ سے کٹے", column: (x: 170, text: "NOK 1,005.00", weight: .regular))
        let bytes = document.bytes()
        let raw = String(decoding: bytes, as: UTF8.self)
        #expect(raw.contains("/F3 ") && raw.contains("NotoSansArabic") && raw.contains("DejaVuSans"), "both faces embedded")
        #expect(!raw.contains("/F4 "), "the bold fallback is not embedded: no bold Latin was drawn")
        do {
            let read = try PDFText.extract(bytes).precomposedStringWithCompatibilityMapping
            let plain = String(read.unicodeScalars.filter { !(0x202A...0x202E).contains($0.value) })
            for word in ["رسید", "وصول کنندہ", "آپ کے اکاؤنٹ سے کٹے", "Zofia Wójcik", "NOK 1,005.00"] {
                #expect(plain.contains(word), "\(word) in:\n\(plain)")
            }
            #expect(!plain.contains("?"), "\(plain)")
        } catch is PDFText.Unavailable {
            #expect(!PDFText.isRequired, "pdftotext is required here")
        }
        // Without a fallback, one document's objects stay as they were: two fonts, nothing more.
        var plain = PDFDocument(title: "x", fonts: try Self.fonts())
        plain.line("Hello")
        #expect(!String(decoding: plain.bytes(), as: UTF8.self).contains("/F3 "))
    }
}
