import Foundation

/// A real SMTP server for the email tests: `scripts/lib/smtp_sink.py` (Python's aiosmtpd) on
/// loopback, optionally with STARTTLS (a throwaway certificate for `localhost`, made with openssl),
/// AUTH, or refusing the first messages. What it accepts is read back as a mail reader decodes it.
/// Unchecked `Sendable`: every property is set once in `init`; the process is only stopped.
public final class SMTPTestServer: @unchecked Sendable {
    /// `DROP_REQUIRE_SMTP_SERVER=1` (CI) turns a missing aiosmtpd into a failure instead of a skip.
    public static let isRequired = ProcessInfo.processInfo.environment["DROP_REQUIRE_SMTP_SERVER"] == "1"
    public static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import aiosmtpd"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()
    public static var shouldRun: Bool { isRequired || isAvailable }

    /// One accepted message, as `smtp_sink.py` decoded it.
    public struct Received: Decodable, Sendable {
        public let mailFrom: String
        public let rcptTos: [String]
        public let tls: Bool
        public let authenticated: Bool
        public let headers: [String: String]
        public let contentType: String
        public let text: String?
        public let html: String?
    }

    public let port: Int
    /// The certificate the server presents, to trust as a certificate authority (nil without TLS).
    public let caFile: String?
    private let directory: URL
    private let outbox: URL
    private let process: Process

    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    public init(tls: Bool = false, auth: String? = nil, refuse: Int = 0, reject: Bool = false) throws {
        directory = URL(fileURLWithPath: TestScratch.path("smtp"))
        outbox = directory.appendingPathComponent("outbox")
        try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
        var arguments = [Self.script, "--outbox", outbox.path, "--refuse", String(refuse)]
        if tls {
            let cert = directory.appendingPathComponent("cert.pem").path, key = directory.appendingPathComponent("key.pem").path
            try Self.run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                                          "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            arguments += ["--tls-cert", cert, "--tls-key", key]
            caFile = cert
        } else {
            caFile = nil
        }
        if let auth { arguments += ["--auth", auth] }
        if reject { arguments.append("--reject") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The first line is "ready <port>"; nothing (the process ended) means it could not start.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count == 2, words[0] == "ready", let port = Int(words[1]) else {
            process.terminate()
            throw Failed(description: "smtp_sink.py did not start (is aiosmtpd installed? pip install aiosmtpd)")
        }
        self.port = port
    }

    deinit { stop() }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// What has arrived so far, oldest first.
    public func received() throws -> [Received] {
        let files = try FileManager.default.contentsOfDirectory(at: outbox, includingPropertiesForKeys: [.contentModificationDateKey])
            .filter { $0.pathExtension == "json" }
        let dated = try files.map { ($0, try $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate ?? .distantPast) }
        return try dated.sorted { $0.1 < $1.1 }.map { try JSONDecoder().decode(Received.self, from: Data(contentsOf: $0.0)) }
    }

    /// Waits until at least `count` messages have arrived (or `timeout` passes) and returns them all.
    public func waitFor(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let messages = try received()
            if messages.count >= count { return messages }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try received()
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/lib/smtp_sink.py").path

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(description: "\(arguments.first ?? executable) failed") }
    }
}
