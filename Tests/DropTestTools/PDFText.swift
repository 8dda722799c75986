import Foundation

/// Reads a PDF's text back with poppler's `pdftotext` (Debian: poppler-utils), the way a person's
/// PDF reader would. `scripts/test` installs it and sets `DROP_REQUIRE_PDFTOTEXT=1`, so there a
/// missing tool fails the PDF tests instead of skipping them.
public enum PDFText {
    public static let pdftotext = XMLSchemaCheck.executable("pdftotext")
    public static let isRequired = ProcessInfo.processInfo.environment["DROP_REQUIRE_PDFTOTEXT"] == "1"

    public struct Unavailable: Error, CustomStringConvertible {
        public let description = "pdftotext is missing (apt install poppler-utils)"
    }

    /// The text of every page in reading order (`-layout`: a label and its value stay on one line).
    /// Throws `Unavailable` without the tool; a file poppler can't read is an error with its words.
    public static func extract(_ pdf: [UInt8]) throws -> String {
        guard let pdftotext else { throw Unavailable() }
        let directory = URL(fileURLWithPath: TestScratch.root)
        let file = directory.appendingPathComponent("pdf-text-\(UUID().uuidString).pdf")
        let text = directory.appendingPathComponent("pdf-text-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file); try? FileManager.default.removeItem(at: text) }
        try Data(pdf).write(to: file)
        guard let result = XMLSchemaCheck.run(pdftotext, ["-layout", "-enc", "UTF-8", file.path, text.path]) else { throw Unavailable() }
        guard result.status == 0, result.output.isEmpty, let data = FileManager.default.contents(atPath: text.path) else {
            throw ReadError(description: "pdftotext: status \(result.status): \(result.output)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }
}
