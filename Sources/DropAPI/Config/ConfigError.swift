/// Why Drop refuses to start. Each problem is one line an operator can act on.
public struct ConfigError: Error, CustomStringConvertible {
    public let problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String {
        "Drop cannot start:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
