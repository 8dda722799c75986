import DropCore

/// What each operations alert records beside its kind and the thing it is about: codes and ids,
/// never personal data. `OperationsAlertRepository.raise` encodes them, so a code that came from a
/// bank or the payout partner can't break out of its field.
enum OperationsAlertDetails {
    /// `reconciliation_mismatch`: the bank answered with a second, different payment for one
    /// transfer or standing transfer.
    struct SecondBankPayment: Encodable, Sendable {
        let problem = "second_bank_payment"
        /// For a transfer: whether the bank cancelled the payment Drop doesn't follow (nil: not asked).
        var cancelledAtBank: Bool?
    }

    /// `reconciliation_mismatch`: the bank reported a standing order's payment settled for another amount
    /// (or currency) than the order's instructed total; no transfer was made and no return asked.
    struct ExecutionAmountMismatch: Encodable, Sendable {
        let problem = "execution_amount_mismatch"
        let executionId: String
        let reportedMinor: Int64
        let reportedCurrency: String
        /// The order's total in NOK øre, fixed at approval.
        let instructedMinor: Int64
    }

    /// `reconciliation_mismatch`: the bank reported a payment refused or cancelled after it had reported
    /// it settled (the NOK reached the partner); the transfer is left as it was.
    struct RefusedAfterSettlement: Encodable, Sendable {
        let problem = "refused_after_settlement"
        let bankStatus: PaymentStatusCode
    }

    /// `reconciliation_mismatch`: the bank made a payment for a transfer that had already ended
    /// (`status`), which Drop never recorded; whether the bank accepted its cancellation.
    struct PaymentAfterEnd: Encodable, Sendable {
        let problem = "payment_after_end"
        let status: TransferStatus
        let cancelledAtBank: Bool
    }

    /// `reconciliation_mismatch`: the bank made a periodic payment for a standing order that no longer
    /// waited for approval (`status`), which Drop never recorded; whether the bank accepted its cancellation.
    struct OrderAfterEnd: Encodable, Sendable {
        let problem = "payment_after_end"
        let status: StandingOrderStatus
        let cancelledAtBank: Bool
    }

    /// `reconciliation_mismatch`: the partner says it holds no NOK to return for this transfer.
    struct ReturnRefused: Encodable, Sendable {
        let returnRefused: String
    }

    /// `reconciliation_mismatch`: the partner's answer about a return can't be taken: unreadable
    /// (`unreadable`, or `http_<status>`), or about another return or amount (`id`, `return_id`,
    /// `end_to_end_id`, `amount`, `currency`). The transfer is not refunded on it.
    struct ReturnAnswerInvalid: Encodable, Sendable {
        let problem = "return_answer_invalid"
        let issue: String
    }

    /// `reconciliation_mismatch`: Drop has no Norwegian account number to ask the NOK back to (the
    /// payer's account is no longer linked, or its IBAN is not Norwegian); no return was asked.
    struct ReturnAccountUnknown: Encodable, Sendable {
        let problem = "return_account_unknown"
    }

    /// `reconciliation_mismatch`: the partner could not pay the NOK back (`reason`, its code, e.g. `AC04`).
    struct ReturnFailed: Encodable, Sendable {
        let problem = "return_failed"
        let reason: String
    }

    /// `late_settlement`: the bank settled a payment for a transfer that had already ended.
    struct LateSettlement: Encodable, Sendable {
        let status: TransferStatus
        let bankStatus: PaymentStatusCode
        let kind: TransactionKind
    }

    /// `payout_instruction_invalid` for one transfer: the field its instruction could not be built from.
    struct InvalidInstruction: Encodable, Sendable {
        let field: String
        let issue: String
    }

    /// `payout_instruction_invalid` for a whole message: the partner's reason codes, and how many
    /// of its transfers the partner named.
    struct RejectedMessage: Encodable, Sendable {
        let reasons: String
        let named: Int
    }

    /// `rate_refused`: a published rate Drop did not store (`future_dated` or `moved_too_far`), as
    /// units of the currency per NOK, beside the stored rate it was checked against.
    struct RateRefused: Encodable, Sendable {
        let problem: String
        let asOf: String
        let rate: String
        let previousRate: String?
        let previousAsOf: String?
    }

    /// `rate_missing`: the corridors (countries) whose currency the feed's answer did not have.
    struct RateMissing: Encodable, Sendable {
        let countries: [String]
    }

    /// `retention_purge_failed`: what the database said, as a class of error (never a row's values).
    struct RetentionPurgeFailed: Encodable, Sendable {
        let error: String
    }

    /// `payout_partner_refused`: the partner refused Drop itself.
    struct PartnerRefused: Encodable, Sendable {
        let httpStatus: Int
    }

    /// `payout_report_mismatch` (about the payout message): what in the partner's pain.002 doesn't
    /// match the pain.001 sent (`PayoutReportCheck`), and the end-to-end ids it names wrongly (Drop's
    /// references or the partner's, never names or accounts), the first `maximumNamed` of `named`.
    struct PayoutReportMismatch: Encodable, Sendable {
        static let maximumNamed = 20
        let issue: String
        var endToEndIds: [String]?
        var named: Int?
    }

    /// `payout_without_standing` (about the transfer): the message the partner already had it in.
    struct PayoutWithoutStanding: Encodable, Sendable {
        let payoutId: String
        let messageId: String
    }

    /// `organisation_already_registered` (about the business that holds the number): who else named it.
    struct OrganisationClaimed: Codable, Sendable {
        let claimantUserId: String
    }

    /// `standing_order_cancel_refused`: what the bank answered Drop's cancellation (`refusal`: its code, or
    /// `http_<status>`) and the order's status there (`bankStatus`) and at Drop (`status`).
    struct StandingOrderCancelRefused: Encodable, Sendable {
        let status: StandingOrderStatus
        let bankStatus: String
        let refusal: String
    }

    /// `identity_check_unreadable`: Sumsub's answer when Drop asked for the applicant an approval
    /// named, and Sumsub's id for that request (to quote to their support).
    struct IdentityCheckUnreadable: Encodable, Sendable {
        let httpStatus: Int
        let correlationId: String?
    }
}
