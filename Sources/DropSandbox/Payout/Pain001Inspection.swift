import DropCore
import Foundation

/// The checks a bank runs on a schema-valid pain.001 before accepting it: counts and control
/// sums, currencies and their decimals, account and bank identifiers, unique ids, SEPA rules.
/// Each problem becomes a reason with an ISO 20022 status reason code and where it is.
///
/// Reason codes: `AM18` number of transactions, `AM10` control sum, `AM01` zero amount,
/// `AM12` invalid amount, `AM03` currency not offered, `AC01` creditor account, `AC02` debtor
/// account, `RC01` bank identifier, `AM05` duplicate end-to-end id, `DU02` duplicate payment
/// group id, `FF01` format (incl. SEPA rules).
struct Pain001Inspection: Sendable {
    struct Transaction: Sendable {
        let endToEndId: String
        /// `InstdAmt` as written, and its `Ccy`.
        let amount: String?
        let currency: String?
        /// The creditor's IBAN or other account id.
        let account: String
        let creditorName: String
    }

    struct PaymentGroup: Sendable {
        let id: String
        /// As declared (checked), or the computed sum when the message gives none.
        let controlSum: String
        let transactions: [Transaction]
    }

    let messageId: String
    let numberOfTransactions: Int
    let controlSum: String
    let paymentGroups: [PaymentGroup]

    /// The message's content, or every reason to refuse it. Expects a schema-valid document.
    static func inspect(_ document: XMLTree.Element) -> Result<Pain001Inspection, Refusal> {
        var reasons: [Pain001Reason] = []
        func refuse(_ code: String, _ path: String, _ text: String) {
            reasons.append(Pain001Reason(code: code, text: "\(path): \(text)"))
        }
        guard let initiation = document.child("CstmrCdtTrfInitn"), let header = initiation.child("GrpHdr"),
              let messageId = header.value("MsgId") else {
            return .failure(Refusal(messageId: nil, reasons: [Pain001Reason(code: "FF01", text: "GrpHdr/MsgId is missing.")]))
        }

        var groups: [PaymentGroup] = []
        var endToEndIds: Set<String> = []
        var paymentGroupIds: Set<String> = []
        var transactionCount = 0
        var total = Decimal(0)
        for (groupIndex, info) in initiation.children(named: "PmtInf").enumerated() {
            let groupPath = "PmtInf[\(groupIndex + 1)]"
            let groupId = info.value("PmtInfId") ?? ""
            if !paymentGroupIds.insert(groupId).inserted { refuse("DU02", "\(groupPath)/PmtInfId", "Payment information id used twice in the message.") }
            if info.value("PmtMtd") != "TRF" { refuse("FF01", "\(groupPath)/PmtMtd", "Only credit transfers (TRF) are offered.") }
            let groupIsSEPA = serviceLevel(info.child("PmtTpInf")) == "SEPA"
            if groupIsSEPA, let bearer = info.value("ChrgBr"), bearer != "SLEV" {
                refuse("FF01", "\(groupPath)/ChrgBr", "SEPA credit transfers use charge bearer SLEV.")
            }
            if let debtorIBAN = info.value("DbtrAcct", "Id", "IBAN") {
                do { _ = try IBAN(debtorIBAN) } catch { refuse("AC02", "\(groupPath)/DbtrAcct/Id/IBAN", error.message) }
            }
            if let debtorBIC = info.value("DbtrAgt", "FinInstnId", "BICFI") {
                do { _ = try BIC(debtorBIC) } catch { refuse("RC01", "\(groupPath)/DbtrAgt/FinInstnId/BICFI", error.message) }
            }

            var transactions: [Transaction] = []
            var groupSum = Decimal(0)
            let entries = info.children(named: "CdtTrfTxInf")
            for (index, entry) in entries.enumerated() {
                let path = "\(groupPath)/CdtTrfTxInf[\(index + 1)]"
                let isSEPA = groupIsSEPA || serviceLevel(entry.child("PmtTpInf")) == "SEPA"
                let endToEndId = entry.value("PmtId", "EndToEndId") ?? ""
                if !endToEndIds.insert(endToEndId).inserted {
                    refuse("AM05", "\(path)/PmtId/EndToEndId", "End-to-end id used twice in the message.")
                }

                if let amount = entry.descendant("Amt", "InstdAmt") {
                    let text = amount.text.trimmingCharacters(in: .whitespacesAndNewlines)
                    groupSum += decimal(text)
                    checkAmount(text, currencyCode: amount.attributes["Ccy"] ?? "", sepa: isSEPA, path: "\(path)/Amt/InstdAmt", refuse: refuse)
                } else {
                    refuse("FF01", "\(path)/Amt", "Only InstdAmt is offered, not EqvtAmt.")
                }

                if isSEPA, let bearer = entry.value("ChrgBr"), bearer != "SLEV" {
                    refuse("FF01", "\(path)/ChrgBr", "SEPA credit transfers use charge bearer SLEV.")
                }
                if let bic = entry.value("CdtrAgt", "FinInstnId", "BICFI") {
                    do { _ = try BIC(bic) } catch { refuse("RC01", "\(path)/CdtrAgt/FinInstnId/BICFI", error.message) }
                }

                let name = entry.value("Cdtr", "Nm") ?? ""
                if name.isEmpty { refuse("FF01", "\(path)/Cdtr/Nm", "The creditor's name is required.") }
                if isSEPA, !name.isEmpty, !(name.count <= 70 && SEPACharacterSet.isValid(name)) {
                    refuse("FF01", "\(path)/Cdtr/Nm", "SEPA names are at most 70 characters of the SEPA Latin character set.")
                }
                if isSEPA {
                    for line in entry.child("RmtInf")?.children(named: "Ustrd") ?? [] where !SEPACharacterSet.isValid(line.text) {
                        refuse("FF01", "\(path)/RmtInf/Ustrd", "SEPA remittance information must use the SEPA Latin character set.")
                    }
                }
                for (place, text) in partyTexts(entry) where !text.isEmpty && !(isSEPA ? SEPACharacterSet.isValid(text) : CBPRCharacterSet.isValid(text)) {
                    if isSEPA, place == "Cdtr/Nm" || place == "RmtInf/Ustrd" { continue } // reported above
                    refuse("FF01", "\(path)/\(place)", isSEPA ? "SEPA text must use the SEPA Latin character set."
                        : "Cross-border (CBPR+) names, addresses and remittance information must use the SWIFT Latin character set.")
                }

                var account = ""
                if let iban = entry.value("CdtrAcct", "Id", "IBAN") {
                    account = iban
                    do { _ = try IBAN(iban) } catch { refuse("AC01", "\(path)/CdtrAcct/Id/IBAN", error.message) }
                } else if let other = entry.value("CdtrAcct", "Id", "Othr", "Id") {
                    account = other
                    if isSEPA { refuse("FF01", "\(path)/CdtrAcct/Id", "SEPA credit transfers need the creditor's IBAN.") }
                } else {
                    refuse("FF01", "\(path)/CdtrAcct", "The creditor's account is required.")
                }
                let instructed = entry.descendant("Amt", "InstdAmt")
                transactions.append(Transaction(endToEndId: endToEndId, amount: instructed.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) },
                                                currency: instructed?.attributes["Ccy"], account: account, creditorName: name))
            }

            if let declared = info.value("NbOfTxs"), Int(declared) != entries.count {
                refuse("AM18", "\(groupPath)/NbOfTxs", "Says \(declared) transactions; the payment group has \(entries.count).")
            }
            if let declared = info.value("CtrlSum"), decimal(declared) != groupSum {
                refuse("AM10", "\(groupPath)/CtrlSum", "Says \(declared); the payment group's amounts add up to \(groupSum).")
            }
            transactionCount += entries.count
            total += groupSum
            groups.append(PaymentGroup(id: groupId, controlSum: info.value("CtrlSum") ?? "\(groupSum)", transactions: transactions))
        }

        if let declared = header.value("NbOfTxs"), Int(declared) != transactionCount {
            refuse("AM18", "GrpHdr/NbOfTxs", "Says \(declared) transactions; the message has \(transactionCount).")
        }
        if let declared = header.value("CtrlSum"), decimal(declared) != total {
            refuse("AM10", "GrpHdr/CtrlSum", "Says \(declared); the message's amounts add up to \(total).")
        }
        guard reasons.isEmpty else {
            return .failure(Refusal(messageId: messageId, reasons: Array(reasons.prefix(Pain001Schema.maximumReasons))))
        }
        return .success(Pain001Inspection(
            messageId: messageId, numberOfTransactions: transactionCount, controlSum: header.value("CtrlSum") ?? "\(total)", paymentGroups: groups
        ))
    }

    struct Refusal: Error, Sendable {
        /// The MsgId, when the message got far enough to have one.
        let messageId: String?
        let reasons: [Pain001Reason]
    }

    private static func checkAmount(_ text: String, currencyCode: String, sepa: Bool, path: String, refuse: (String, String, String) -> Void) {
        guard let currency = Currency(rawValue: currencyCode) else {
            refuse("AM03", path, "Currency \(currencyCode) is not offered.")
            return
        }
        if sepa, currency != .eur { refuse("AM03", path, "SEPA credit transfers are in EUR.") }
        do {
            let money = try Money(decimalString: text, currency: currency)
            if money.isZero { refuse("AM01", path, "The amount is zero.") }
        } catch {
            refuse("AM12", path, "\(currency.code) amounts have \(currency.exponent) decimals.")
        }
    }

    /// The creditor's name and address lines and the remittance lines of a `CdtTrfTxInf`, with
    /// where they are: the free text a bank checks against the scheme's character set.
    private static func partyTexts(_ entry: XMLTree.Element) -> [(String, String)] {
        var texts: [(String, String)] = []
        if let name = entry.value("Cdtr", "Nm") { texts.append(("Cdtr/Nm", name)) }
        for part in entry.child("Cdtr")?.child("PstlAdr")?.children ?? [] where part.name != "Ctry" && part.children.isEmpty {
            texts.append(("Cdtr/PstlAdr/\(part.name)", part.text))
        }
        for line in entry.child("RmtInf")?.children(named: "Ustrd") ?? [] { texts.append(("RmtInf/Ustrd", line.text)) }
        return texts
    }

    /// `SvcLvl/Cd` of a `PmtTpInf`, if any.
    private static func serviceLevel(_ typeInformation: XMLTree.Element?) -> String? {
        typeInformation?.children(named: "SvcLvl").lazy.compactMap { $0.value("Cd") }.first
    }

    /// An `xs:decimal` already checked by the schema, exactly (Foundation's decimal, not floating point).
    private static func decimal(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(0)
    }
}
