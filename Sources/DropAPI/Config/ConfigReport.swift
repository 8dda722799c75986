import Foundation

/// What `drop config check` prints: each variable, whether it is set and where from, and every
/// reason Drop would refuse to start. Secrets show only their length; URLs hide their password.
public struct ConfigReport: Sendable {
    public struct Line: Sendable, Equatable {
        public let name: String
        /// e.g. `set from /run/secrets/jwt (64 bytes)`, `postgres://drop:***@db/drop`, `not set`.
        public let state: String
        public let meaning: String
    }

    public let environment: DropEnvironment
    public let lines: [Line]
    /// Why Drop would not start with this environment; empty when it would.
    public let problems: [String]

    /// `asProduction` checks the environment as `DROP_ENV=production` would, whatever it says.
    public init(environment given: [String: String], workingDirectory: String = FileManager.default.currentDirectoryPath,
                asProduction: Bool = false) {
        var env = given
        if asProduction { env["DROP_ENV"] = DropEnvironment.production.rawValue }
        let files = SettingFiles.resolve(env)
        lines = ConfigCatalog.variables.map { variable in
            let value = files.environment[variable.name]
            return Line(name: variable.name, state: Self.describe(value, variable.kind, files.sources[variable.name]),
                        meaning: variable.meaning)
        }
        environment = DropEnvironment(rawValue: env["DROP_ENV"] ?? "") ?? .development
        do {
            _ = try AppConfig.load(environment: env, workingDirectory: workingDirectory)
            problems = []
        } catch let error as ConfigError {
            problems = error.problems
        } catch {
            problems = ["\(error)"]
        }
    }

    public var text: String {
        let width = (lines.map(\.name.count).max() ?? 0) + 2
        var output = lines.map { line in
            line.name.padding(toLength: width, withPad: " ", startingAt: 0) + line.state + "  — " + line.meaning
        }
        output.append("")
        if problems.isEmpty {
            output.append("Drop would start (\(environment.rawValue)).")
        } else {
            output.append("Drop would refuse to start (\(environment.rawValue)):")
            output += problems.map { "  - \($0)" }
        }
        return output.joined(separator: "\n")
    }

    static func describe(_ value: String?, _ kind: ConfigVariable.Kind, _ source: SettingFiles.Source?) -> String {
        guard let value else { return "not set" }
        let origin: String
        switch source {
        case .file(let path): origin = "from \(path)"
        case .environment, nil: origin = "from the environment"
        }
        switch kind {
        case .secret: return "set \(origin) (\(value.utf8.count) bytes)"
        case .connectionURL: return "\(maskingPassword(value)) (\(origin))"
        case .setting: return "\(value) (\(origin))"
        }
    }

    /// `postgres://drop:s3cret@db:5432/drop?password=x` → `postgres://drop:***@db:5432/drop?password=***`.
    public static func maskingPassword(_ url: String) -> String {
        var masked = url
        if let scheme = masked.range(of: "://"), let at = masked[scheme.upperBound...].lastIndex(of: "@"),
           let colon = masked[scheme.upperBound..<at].firstIndex(of: ":") {
            masked.replaceSubrange(masked.index(after: colon)..<at, with: "***")
        }
        if let query = masked.firstIndex(of: "?") {
            let parameters = masked[masked.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
                pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
            }
            masked = String(masked[...query]) + parameters.joined(separator: "&")
        }
        return masked
    }
}
