/// Where Drop runs. Production refuses everything that is only safe on a laptop.
public enum DropEnvironment: String, Sendable {
    case development
    case test
    case production
}
