import Foundation

/// Where the data lives, parsed from `DATABASE_URL`: `sqlite:<path>` (development) or `postgres://…` (production).
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public init(parsing raw: String, workingDirectory: String = FileManager.default.currentDirectoryPath) throws {
        let value = raw.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("sqlite:") {
            var path = String(value.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }  // sqlite:///abs/path form
            guard !path.isEmpty else { throw DatabaseURLError(message: "sqlite: URL needs a file path, e.g. sqlite:data/drop.db") }
            if !path.hasPrefix("/") { path = workingDirectory + "/" + path }
            self = .sqlite(path: path)
        } else if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            self = .postgres(url: value)
        } else {
            throw DatabaseURLError(message: "DATABASE_URL must start with sqlite: or postgres://")
        }
    }

    public var isSQLite: Bool { if case .sqlite = self { true } else { false } }

    /// Safe to log: the password of a Postgres URL is masked.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard var parts = URLComponents(string: url) else { return "postgres://…" }
            if parts.password != nil { parts.password = "***" }
            return parts.string ?? "postgres://…"
        }
    }
}

public struct DatabaseURLError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
