import DropCore
import Testing

@Suite("Legal deadlines: data requests, complaints, AML retention")
struct LegalDeadlinesTests {
    func day(_ iso: String) throws -> CalendarDate { try CalendarDate(iso: iso) }

    @Test func dataRequestsAreDueThirtyCalendarDaysLater() throws {
        #expect(LegalDeadlines.dataRequestDue(receivedOn: try day("2026-11-27")) == (try day("2026-12-27")))
        // Across a year end.
        #expect(LegalDeadlines.dataRequestDue(receivedOn: try day("2027-12-15")) == (try day("2028-01-14")))
    }

    @Test func dataRequestsAreNeverDueLaterThanOneMonth() throws {
        // GDPR art. 12(3): a month shorter than 30 days ends the clock first.
        #expect(LegalDeadlines.dataRequestDue(receivedOn: try day("2027-01-31")) == (try day("2027-02-28")))
        #expect(LegalDeadlines.dataRequestDue(receivedOn: try day("2028-01-31")) == (try day("2028-02-29")))
        #expect(LegalDeadlines.dataRequestDue(receivedOn: try day("2028-02-10")) == (try day("2028-03-10")))
        #expect(LegalDeadlines.dataRequestDue(receivedOn: try day("2027-02-01")) == (try day("2027-03-01")))
    }

    @Test func complaintsAreDueOnTheFifteenthBusinessDay() throws {
        // Friday 27 November 2026: three weeks of weekdays, no holidays.
        #expect(LegalDeadlines.complaintDue(receivedOn: try day("2026-11-27")) == (try day("2026-12-18")))
        // A complaint sent on a Saturday starts counting from Monday, like one sent on Friday.
        #expect(LegalDeadlines.complaintDue(receivedOn: try day("2026-11-28")) == (try day("2026-12-18")))
    }

    @Test func easterDoesNotCountAsBusinessDays() throws {
        // Easter 2027 is 28 March: Maundy Thursday, Good Friday and Easter Monday are closed.
        #expect(LegalDeadlines.complaintDue(receivedOn: try day("2027-03-22")) == (try day("2027-04-15")))
        // 17 May 2027 is a Monday and Ascension Day is 6 May.
        #expect(LegalDeadlines.complaintDue(receivedOn: try day("2027-04-30")) == (try day("2027-05-25")))
    }

    @Test func businessDaysFromAHolidayCountFromTheNextOpenDay() throws {
        #expect(NorwegianBusinessDays.adding(businessDays: 1, to: try day("2026-12-24")) == (try day("2026-12-28")))
        #expect(NorwegianBusinessDays.adding(businessDays: 0, to: try day("2026-12-25")) == (try day("2026-12-25")))
    }

    @Test func recordsAreKeptFiveYearsAfterTheRelationshipEnds() throws {
        #expect(LegalDeadlines.retentionEnds(relationshipEndedOn: try day("2026-11-27")) == (try day("2031-11-27")))
        #expect(LegalDeadlines.retentionEnds(relationshipEndedOn: try day("2028-02-29")) == (try day("2033-02-28")))
    }
}
