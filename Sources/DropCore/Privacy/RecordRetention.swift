import Foundation

/// Hvitvaskingsloven § 30 keeps the records of an investigation and a report five years from when they
/// were made, not only from when the customer relationship ended: an alert resolved or a report filed
/// about a customer who had already left is kept five years from then.
public enum RecordRetention {
    /// When a record made at `instant` may be deleted: the end of the Oslo day `LegalDeadlines.retentionEnds`
    /// gives, as an erasure's `retain_until` is counted.
    public static func keptUntil(madeAt instant: Date) -> Date {
        OsloCalendar.endOfDay(LegalDeadlines.retentionEnds(relationshipEndedOn: OsloCalendar.today(instant)))
    }
}
