/// The consents Drop asks for. Terms and privacy are required before KYC; marketing is optional.
/// Bumping a version asks everyone again (their earlier grant was for the old text).
public enum ConsentType: String, Sendable, Codable, CaseIterable {
    case terms
    case privacy
    case marketing

    public var currentVersion: String {
        switch self {
        case .terms: return "2026-06"
        case .privacy: return "2026-06"
        case .marketing: return "2026-01"
        }
    }

    public var isRequired: Bool { self != .marketing }
}

/// What is still missing before a customer may start KYC.
public enum OnboardingRequirement: String, Sendable, Equatable, CaseIterable {
    case phone
    case termsConsent = "terms"
    case privacyConsent = "privacy"
}

public enum OnboardingPolicy {
    /// `grantedVersions` maps each consent type to the version the customer currently has granted (nil = not granted).
    public static func missing(hasPhone: Bool, grantedVersions: [ConsentType: String]) -> [OnboardingRequirement] {
        var missing: [OnboardingRequirement] = []
        if !hasPhone { missing.append(.phone) }
        if grantedVersions[.terms] != ConsentType.terms.currentVersion { missing.append(.termsConsent) }
        if grantedVersions[.privacy] != ConsentType.privacy.currentVersion { missing.append(.privacyConsent) }
        return missing
    }
}
