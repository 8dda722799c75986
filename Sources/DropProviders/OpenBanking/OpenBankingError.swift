/// A bank's refusal in NextGenPSD2 terms (its `tppMessages`), as opposed to transport trouble,
/// which is a `ProviderError`.
public enum OpenBankingError: Error, Sendable, Hashable {
    /// 401 `CONSENT_INVALID`: not (yet) authorised, rejected, revoked or terminated.
    case consentInvalid
    /// 401 `CONSENT_EXPIRED`: past `validUntil`; the user must link the bank again.
    case consentExpired
    /// 403 `CONSENT_UNKNOWN`.
    case consentUnknown
    /// 429 `ACCESS_EXCEEDED`: the consent's unattended reads for today are used (RTS Art. 36(5)).
    case accessExceeded
    /// 400 `FORMAT_ERROR` (and other 400 codes): the request was malformed; `text` says why.
    case formatError(String)
    /// `FUNDS_NOT_AVAILABLE`.
    case fundsNotAvailable
    /// Any other code, with the HTTP status.
    case unknown(code: String, status: Int)
}
