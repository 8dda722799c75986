/// Writes a `SuspiciousTransactionReport` as goAML XML (UNODC's generic schema, docs/protocols.md §7):
/// `<report>` with the reporting entity, `report_code` STR, reason, action and one `<transaction>`
/// per payment, from the customer (`t_from_my_client`: their bank account, the customer as its
/// signatory) to the counterparty (`t_to`: account, beneficiary, country).
///
/// Norway's channel is Altinn MT-0002 and no source confirms it takes goAML, so this is Drop's
/// archival and simulator format. Code lists are per FIU: the codes below are Drop's own until an
/// FIU's lists apply. Every value goes through `XMLWriter`, which escapes it; amounts come from
/// integer minor units with exactly the currency's decimals (`9900.00`).
public enum GoAMLReportWriter {
    public struct Codes: Sendable, Hashable {
        /// `E` electronic, `M` manual.
        public var submission = "E"
        /// How the money moved: a payment initiated at the customer's bank (PSD2 PIS).
        public var transmode = "PIS"
        /// The funds came from and went to bank accounts.
        public var funds = "ACCOUNT"

        public init() {}
    }

    public static func xml(_ report: SuspiciousTransactionReport, codes: Codes = Codes()) -> String {
        var xml = XMLWriter()
        xml.group("report") { xml in
            xml.element("rentity_id", report.entity.id)
            xml.element("submission_code", codes.submission)
            xml.element("report_code", "STR")
            xml.element("entity_reference", report.reference)
            xml.element("submission_date", SuspiciousTransactionReport.dateTime(report.submissionDate))
            xml.element("currency_code_local", "NOK")
            xml.group("reporting_person") { xml in
                person(report.reportingPerson, into: &xml)
            }
            xml.element("reason", report.reason)
            xml.element("action", report.action)
            for transaction in report.transactions {
                write(transaction, subject: report.subject, codes: codes, into: &xml)
            }
            if !report.indicators.isEmpty {
                xml.group("report_indicators") { xml in
                    for indicator in report.indicators { xml.element("indicator", indicator) }
                }
            }
        }
        return xml.finish()
    }

    private static func write(_ transaction: SuspiciousTransactionReport.Transaction, subject: SuspiciousTransactionReport.Person,
                              codes: Codes, into xml: inout XMLWriter) {
        xml.group("transaction") { xml in
            xml.element("transactionnumber", transaction.number)
            xml.element("internal_ref_number", transaction.internalReference)
            xml.element("transaction_description", transaction.description)
            xml.element("date_transaction", SuspiciousTransactionReport.dateTime(transaction.date))
            xml.element("transmode_code", codes.transmode)
            xml.element("amount_local", transaction.amount.decimalString)
            xml.group("t_from_my_client") { xml in
                xml.element("from_funds_code", codes.funds)
                xml.group("from_account") { xml in
                    account(transaction.from, into: &xml)
                    xml.group("signatory") { xml in
                        xml.element("is_primary", "true")
                        xml.group("t_person") { xml in person(subject, into: &xml) }
                    }
                }
                xml.element("from_country", "NO")
            }
            xml.group("t_to") { xml in
                xml.element("to_funds_code", codes.funds)
                if let received = transaction.received, received.currency != .nok {
                    xml.group("to_foreign_currency") { xml in
                        xml.element("foreign_currency_code", received.currency.code)
                        xml.element("foreign_amount", received.decimalString)
                        xml.element("foreign_exchange_rate", ifPresent: transaction.rate)
                    }
                }
                xml.group("to_account") { xml in
                    account(transaction.to.account, into: &xml)
                    if case let .business(name, organisationNumber, _) = transaction.to {
                        xml.group("t_entity") { xml in
                            xml.element("name", name)
                            xml.element("incorporation_number", ifPresent: organisationNumber)
                            xml.element("incorporation_country_code", transaction.toCountry)
                        }
                    }
                    xml.element("beneficiary", transaction.to.name)
                }
                xml.element("to_country", transaction.toCountry)
            }
        }
    }

    private static func account(_ account: SuspiciousTransactionReport.Account, into xml: inout XMLWriter) {
        xml.element("institution_name", ifPresent: account.institutionName)
        xml.element("swift", ifPresent: account.bic)
        xml.element("non_bank_institution", "false")
        xml.element("account", account.number)
        xml.element("currency_code", ifPresent: account.currency?.code)
        xml.element("iban", ifPresent: account.iban)
    }

    private static func person(_ person: SuspiciousTransactionReport.Person, into xml: inout XMLWriter) {
        xml.element("first_name", person.givenName)
        xml.element("last_name", person.familyName)
        xml.element("birthdate", ifPresent: person.birthdate.map { $0 + "T00:00:00" })
        if let phone = person.phone {
            xml.group("phones") { xml in
                xml.group("phone") { xml in
                    xml.element("tph_contact_type", "PRIVATE")
                    xml.element("tph_communication_type", "MOBILE")
                    xml.element("tph_number", phone)
                }
            }
        }
        xml.element("email", ifPresent: person.email)
        xml.element("residence", ifPresent: person.residence)
    }
}
