/// How an identity check of a sandbox person ends at the KYC provider (the Sumsub sandbox).
public enum KYCOutcome: String, Sendable, Hashable, CaseIterable {
    /// Review answer GREEN.
    case approved
    /// Review answer RED that the person cannot fix by resubmitting (fraud, sanctions, …).
    case rejectedFinal = "rejected_final"
    /// Review answer RED with a chance to resubmit (blurry document, …).
    case rejectedRetry = "rejected_retry"
}
