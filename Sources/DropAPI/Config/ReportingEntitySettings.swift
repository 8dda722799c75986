import DropCore

/// Drop as the reporting entity its suspicious transaction reports name: the id the FIU (Økokrim's
/// EFE) gave Drop at registration (`FIU_REPORTING_ENTITY_ID`, goAML's `rentity_id`), Drop's
/// organisation number (`DROP_ORGANISATION_NUMBER`) and legal name (`DROP_LEGAL_NAME`). A report
/// filed under someone else's number, or a made-up one, is a report the FIU can't attribute, so
/// production refuses to start without real values; development files under a placeholder that
/// says what it is.
public enum ReportingEntitySettings {
    static let developmentEntity = SuspiciousTransactionReport.ReportingEntity(id: "0", name: "Drop AS (development)", organisationNumber: "000000000")

    static func from(_ env: [String: String], production: Bool, problems: inout [String]) -> SuspiciousTransactionReport.ReportingEntity {
        let id = env["FIU_REPORTING_ENTITY_ID"]?.nilIfEmpty
        let number = env["DROP_ORGANISATION_NUMBER"]?.nilIfEmpty
        let name = env["DROP_LEGAL_NAME"]?.nilIfEmpty ?? "Drop AS"
        var entity = developmentEntity
        if let id {
            if id.utf8.count <= 20, id.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), id.utf8.contains(where: { $0 != UInt8(ascii: "0") }) {
                entity.id = id
            } else {
                problems.append("FIU_REPORTING_ENTITY_ID must be the number the FIU gave Drop at registration (digits; got \(id))")
            }
        } else if production {
            problems.append("FIU_REPORTING_ENTITY_ID must be set: suspicious transaction reports name Drop by the id the FIU gave it")
        }
        if let number {
            switch Result(catching: { () throws(ValidationIssue) in try OrganisationNumber(number).digits }) {
            case .success(let digits) where digits != developmentEntity.organisationNumber:
                entity.organisationNumber = digits
            case .success:
                // Nine zeros pass the check digit: they are the placeholder, not a number.
                problems.append("DROP_ORGANISATION_NUMBER is not a valid organisation number (000000000 is a placeholder)")
            case .failure(let issue):
                problems.append("DROP_ORGANISATION_NUMBER is not a valid organisation number (\(issue.message))")
            }
        } else if production {
            problems.append("DROP_ORGANISATION_NUMBER must be set: suspicious transaction reports name Drop by its organisation number")
        }
        // The placeholder's name says it is one, until Drop is named for real.
        if id != nil || number != nil || production { entity.name = name }
        if name.count > 255 || FreeText.controlCharacterIssue(name, field: "DROP_LEGAL_NAME") != nil {
            problems.append("DROP_LEGAL_NAME must be one line of at most 255 characters")
        }
        return entity
    }
}
