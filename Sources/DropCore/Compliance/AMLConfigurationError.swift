/// A configuration the AML engine would misread; checked once at startup by `AMLConfiguration.validate()`.
public enum AMLConfigurationError: Error, Sendable, Hashable {
    case invalid(field: String, reason: String)
}
