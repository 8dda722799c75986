import DropCore

extension Receipt {
    /// The same receipt as an A4 PDF, in DejaVu Sans (and for Urdu Noto Sans Arabic) embedded as a
    /// subset (`ReceiptFonts`); right to left for Arabic and Urdu, labels at the right margin and
    /// values in a column left of them. Without the font files, standard Helvetica (WinAnsi:
    /// Norwegian letters included).
    var pdf: [UInt8] {
        var document = PDFDocument(title: "Drop – \(title) \(endToEndId)", fonts: ReceiptFonts.fonts(for: language),
                                   rightToLeft: language.isRightToLeft)
        let accent = PDFDocument.Colour(red: 0.043, green: 0.361, blue: 0.678)
        document.line("Drop", size: 20, weight: .bold, colour: accent, gap: 20)
        document.line(title, size: 16, weight: .bold, gap: 26)
        for section in sections where !section.rows.isEmpty {
            document.line(section.title, size: 12, weight: .bold, gap: 26)
            document.rule(gap: 6)
            for row in section.rows {
                // Long values (a message) wrap under their column.
                let lines = PDFDocument.wrapped(row.value, width: 56)
                document.line(row.label, size: 10, colour: .grey, column: (x: 170, text: lines[0], weight: .regular), gap: 16)
                for more in lines.dropFirst() { document.line(more, size: 10, x: 170, gap: 13) }
            }
        }
        document.space(16)
        for line in footer {
            for part in PDFDocument.wrapped(line, width: 95) { document.line(part, size: 8.5, colour: .grey, gap: 12) }
        }
        return document.bytes()
    }

    /// "drop-kvittering-<end-to-end id>.pdf"; "drop-receipt-…" when the title is not in ASCII
    /// letters (Arabic), as a header's file name must be.
    var pdfFileName: String {
        let name = title.lowercased()
        return "drop-\(name.allSatisfy { $0.isASCII && $0.isLetter } ? name : "receipt")-\(endToEndId).pdf"
    }
}
