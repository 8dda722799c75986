import Foundation

/// Container platforms mount secrets as files rather than putting them in the environment, where
/// `/proc/<pid>/environ`, crash reports and `docker inspect` would show them. So every variable
/// Drop knows may instead be given as `<NAME>_FILE=/path`: the file's content, without its
/// trailing line break, is the value.
public enum SettingFiles {
    /// Where a value came from, for `drop config check`.
    public enum Source: Sendable, Equatable {
        case environment
        case file(path: String)
    }

    public struct Resolved: Sendable {
        /// The environment with every `<NAME>_FILE` replaced by `<NAME>`.
        public var environment: [String: String]
        public var sources: [String: Source]
        /// One line per variable that could not be read; never the content of a file.
        public var problems: [String]
    }

    public static func resolve(
        _ env: [String: String],
        readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) -> Resolved {
        var resolved = env
        var sources: [String: Source] = [:]
        var problems: [String] = []
        for variable in ConfigCatalog.variables {
            let fileVariable = variable.name + "_FILE"
            if env[variable.name] != nil { sources[variable.name] = .environment }
            guard let path = env[fileVariable], !path.isEmpty else { continue }
            resolved[fileVariable] = nil
            if env[variable.name] != nil {
                problems.append("\(variable.name) and \(fileVariable) are both set; set one")
                continue
            }
            guard let data = readFile(path) else {
                problems.append("\(fileVariable): cannot read \(path)")
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append("\(fileVariable): \(path) is not UTF-8 text")
                continue
            }
            let value = trimmingLineBreak(text)
            if value.isEmpty {
                problems.append("\(fileVariable): \(path) is empty")
                continue
            }
            resolved[variable.name] = value
            sources[variable.name] = .file(path: path)
        }
        return Resolved(environment: resolved, sources: sources, problems: problems)
    }

    /// `echo secret > file` and most editors end a file with a line break that is not part of the value.
    static func trimmingLineBreak(_ text: String) -> String {
        var value = Substring(text)
        while let last = value.last, last == "\n" || last == "\r\n" || last == "\r" { value = value.dropLast() }
        return String(value)
    }
}
