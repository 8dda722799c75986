import DropTestTools
import Foundation
import Testing
@testable import DropCore

@Suite("goAML STR writer")
struct GoAMLReportWriterTests {
    @Test func theReportHeaderAndPartiesAreInPlace() throws {
        let xml = GoAMLReportWriter.xml(STRFixtures.report())
        let report = try XMLTree.parse(xml)
        #expect(report.name == "report")
        #expect(report.value("rentity_id") == "4711")
        #expect(report.value("submission_code") == "E")
        #expect(report.value("report_code") == "STR")
        #expect(report.value("entity_reference") == "report-1")
        #expect(report.value("submission_date") == "2026-10-14T12:00:00")
        #expect(report.value("currency_code_local") == "NOK")
        #expect(report.value("reporting_person", "last_name") == "Admin")
        #expect(report.value("reason") == "Five transfers of 9 900 NOK within an hour <structuring> & more")
        #expect(report.children(named: "report_indicators").first?.children(named: "indicator").map(\.text) == ["pep", "structuring"])

        let transactions = report.children(named: "transaction")
        #expect(transactions.count == 2)
        let remittance = try #require(transactions.first)
        #expect(remittance.value("transactionnumber") == "E2E0001")
        #expect(remittance.value("internal_ref_number") == "tx-1")
        #expect(remittance.value("date_transaction") == "2026-10-14T11:00:00")
        #expect(remittance.value("amount_local") == "9900.00")
        #expect(remittance.value("t_from_my_client", "from_account", "account") == "12345678903")
        #expect(remittance.value("t_from_my_client", "from_account", "swift") == "DNBANOKK")
        #expect(remittance.value("t_from_my_client", "from_account", "signatory", "t_person", "last_name") == "O'Politiker & Sønn")
        #expect(remittance.value("t_from_my_client", "from_account", "signatory", "t_person", "birthdate") == "1961-11-11T00:00:00")
        #expect(remittance.value("t_from_my_client", "from_country") == "NO")
        #expect(remittance.value("t_to", "to_foreign_currency", "foreign_amount") == "3672.18")
        #expect(remittance.value("t_to", "to_foreign_currency", "foreign_currency_code") == "PLN")
        #expect(remittance.value("t_to", "to_account", "iban") == "PL61109010140000071219812874")
        #expect(remittance.value("t_to", "to_account", "beneficiary") == "Zofia <Wójcik>")
        #expect(remittance.value("t_to", "to_country") == "PL")

        let payment = try #require(transactions.last)
        #expect(payment.value("amount_local") == "0.05")
        #expect(payment.value("t_to", "to_account", "t_entity", "incorporation_number") == "923609016")
        #expect(payment.value("t_to", "to_account", "beneficiary") == "Kaffe & Kake AS")
        #expect(payment.value("t_to", "to_country") == "NO")
        #expect(payment.child("t_to")?.child("to_foreign_currency") == nil)
    }

    @Test func everythingIsEscapedAndTheDocumentIsWellFormed() throws {
        let hostile = STRFixtures.report(reason: "</reason><report_code>CTR</report_code>\u{1}\"'")
        let xml = GoAMLReportWriter.xml(hostile)
        #expect(!xml.contains("<Wójcik>") && xml.contains("Zofia &lt;Wójcik&gt;") && xml.contains("O&apos;Politiker &amp; Sønn"))
        #expect(try XMLTree.parse(xml).children(named: "report_code").map(\.text) == ["STR"])
        do {
            let check = try XMLSchemaCheck.checkWellFormed(xml)
            #expect(check.valid, "\(check.output)")
        } catch is XMLSchemaCheck.Unavailable {
            #expect(!XMLSchemaCheck.isRequired, "xmllint is required here")
        }
    }

    @Test func dateTimesAreUTCWithoutAZone() {
        #expect(SuspiciousTransactionReport.dateTime(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00")
        #expect(SuspiciousTransactionReport.dateTime(Date(timeIntervalSince1970: 1_791_979_200 + 59)) == "2026-10-14T12:00:59")
    }
}
