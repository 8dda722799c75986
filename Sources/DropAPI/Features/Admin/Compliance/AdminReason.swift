import Foundation

/// Why an admin did something (dismissal, rejection, escalation): required or optional free text,
/// trimmed, at most 2 000 characters. Kept in the database, never in logs or audit data.
public enum AdminReason {
    static let maximumLength = 2000

    public static func required(_ text: String?, field: String = "reason") throws -> String {
        guard let reason = try optional(text, field: field) else {
            throw AppError.validation("Give a reason.", details: [ErrorDetail(field: field, issue: "required")])
        }
        return reason
    }

    public static func optional(_ text: String?, field: String = "reason") throws -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= maximumLength else {
            throw AppError.validation("The text is too long.", details: [ErrorDetail(field: field, issue: "too_long",
                                                                                    message: "At most \(maximumLength) characters.")])
        }
        return trimmed
    }
}
