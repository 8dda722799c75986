import DropCore
import Foundation

/// The font receipt PDFs are written in: DejaVu Sans and DejaVu Sans Bold, shipped in the API's
/// resource bundle (`Fonts/`, with their licence) and read once. Each PDF embeds a subset of only
/// the glyphs it uses. DejaVu Sans draws Norwegian, Somali, Polish and Arabic; it lacks two letters
/// Urdu uses in most sentences (ہ U+06C1, ے U+06D2), so Urdu's PDF stays in English (`pdfLanguage`).
enum ReceiptFonts {
    /// Nil if the files are missing or unreadable: PDFs are then written in standard Helvetica,
    /// and in English for the languages it cannot write.
    static let embedded: PDFDocument.Fonts? = {
        func load(_ name: String) -> PDFFont? {
            guard let url = Bundle.module.url(forResource: name, withExtension: "ttf", subdirectory: "Fonts"),
                  let data = try? Data(contentsOf: url) else { return nil }
            return try? PDFFont(trueType: Array(data))
        }
        guard let regular = load("DejaVuSans"), let bold = load("DejaVuSans-Bold") else { return nil }
        return PDFDocument.Fonts(regular: regular, bold: bold)
    }()
}
