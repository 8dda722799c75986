import DropCore
import DropTestSupport
import Testing

@Suite("PDF writer: text in a standard font, Norwegian letters, read back by a real PDF reader")
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
}
