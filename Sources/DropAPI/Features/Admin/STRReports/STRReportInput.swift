/// `POST /v1/admin/str-reports`: a draft from an alert (its customer and transfer, plus any
/// `transactionIds`), or for a customer (`userId`) with the transactions chosen.
struct STRReportInput: Decodable, Sendable {
    let alertId: String?
    let userId: String?
    let transactionIds: [String]?
    let reason: String?
    let action: String?
}

/// `PATCH /v1/admin/str-reports/{id}` while the report is a draft: what is given replaces what was there.
public struct STRReportPatch: Decodable, Sendable {
    let reason: String?
    let action: String?
    let transactionIds: [String]?

    public init(reason: String?, action: String?, transactionIds: [String]? = nil) {
        self.reason = reason
        self.action = action
        self.transactionIds = transactionIds
    }
}

/// `POST /v1/admin/str-reports/{id}/file`: the FIU's reference for the submission, when it gave one.
public struct STRReportFiling: Decodable, Sendable {
    let fiuReference: String?

    public init(fiuReference: String?) { self.fiuReference = fiuReference }
}
