import ArgumentParser
import AsyncHTTPClient
import Foundation

/// `drop probe [--path /ready]`: the container health check. Asks this machine's Drop and exits 0 only
/// on 200, so the image needs no curl.
struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when the local Drop answers 200 (for container health checks).")

    @Option(help: "The path to ask: /health (alive) or /ready (database and schema).")
    var path = "/health"

    @Option(help: "The port Drop listens on (default: PORT, else 8080).")
    var port: Int?

    func run() async throws {
        let port = port ?? ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with /") }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .GET
        let status: UInt
        do {
            status = try await HTTPClient.shared.execute(request, timeout: .seconds(5)).status.code
        } catch {
            FileHandle.standardError.write(Data("no answer on port \(port): \(error)\n".utf8))
            throw ExitCode.failure
        }
        guard status == 200 else {
            FileHandle.standardError.write(Data("\(path) answered \(status)\n".utf8))
            throw ExitCode.failure
        }
    }
}
