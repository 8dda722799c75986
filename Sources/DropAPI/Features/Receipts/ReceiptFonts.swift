import DropCore
import Foundation

/// The fonts receipt PDFs are written in, shipped in the API's resource bundle (`Fonts/`, with their
/// licences) and read once; each PDF embeds a subset of only the glyphs it uses.
/// - DejaVu Sans (regular, bold) draws bokmål, English, Somali, Polish and Arabic.
/// - Urdu uses ہ (U+06C1) and ے (U+06D2), which DejaVu lacks: its PDF takes Arabic script from
///   Noto Sans Arabic, whose cmap has Urdu's letters and their joined forms, and everything else
///   (Latin names, IBANs, digits) from DejaVu Sans, the fallback.
enum ReceiptFonts {
    /// Nil if the files are missing or unreadable: PDFs are then written in standard Helvetica,
    /// and in English for the languages it cannot write.
    static let embedded: PDFDocument.Fonts? = {
        guard let regular = dejaVu.regular, let bold = dejaVu.bold else { return nil }
        return PDFDocument.Fonts(regular: regular, bold: bold)
    }()

    /// Urdu's: Noto Sans Arabic first, DejaVu Sans for the rest. Nil without either.
    static let urdu: PDFDocument.Fonts? = {
        guard let regular = load("NotoSansArabic-Regular"), let bold = load("NotoSansArabic-Bold"),
              let latin = dejaVu.regular, let latinBold = dejaVu.bold else { return nil }
        return PDFDocument.Fonts(regular: regular, bold: bold, fallback: (latin, latinBold))
    }()

    /// The fonts for a receipt in `language`.
    static func fonts(for language: ReceiptLanguage) -> PDFDocument.Fonts? {
        language == .ur ? urdu : embedded
    }

    private static let dejaVu = (regular: load("DejaVuSans"), bold: load("DejaVuSans-Bold"))

    private static func load(_ name: String) -> PDFFont? {
        guard let url = Bundle.module.url(forResource: name, withExtension: "ttf", subdirectory: "Fonts"),
              let data = try? Data(contentsOf: url) else { return nil }
        return try? PDFFont(trueType: Array(data))
    }
}
