import DropCore
import Foundation

/// The partner's pain.002.001.10 customer payment status reports, written the way a bank
/// writes them: a fresh report id each time, the original message's ids and counts, a group
/// status, and per payment group and transaction the status with reasons.
enum PayoutSandboxReport {
    static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"
    /// `AddtlInf` is Max105Text; longer reasons continue in further `AddtlInf` lines.
    static let additionalInformationLength = 105

    /// A transaction a refusal is about: its payment group, end-to-end id and reasons.
    struct NamedTransaction: Sendable, Hashable {
        let paymentGroupId: String
        let endToEndId: String
        let reasons: [Pain001Reason]
    }

    /// The answer to a refused pain.001: group `RJCT` and every reason, and each transaction a
    /// reason points at (`TxInfAndSts` RJCT with its own reasons), as a bank reports a file it
    /// refused because of some of its payments.
    static func rejection(originalMessageId: String?, reasons: [Pain001Reason], transactions: [NamedTransaction] = [], at date: Date) -> String {
        var xml = XMLWriter()
        xml.open("Document", attributes: [("xmlns", namespace)])
        xml.open("CstmrPmtStsRpt")
        header(at: date, into: &xml)
        xml.group("OrgnlGrpInfAndSts") { xml in
            xml.element("OrgnlMsgId", originalMessageId.map { String($0.prefix(35)) } ?? "NOTPROVIDED")
            xml.element("OrgnlMsgNmId", "pain.001.001.09")
            xml.element("GrpSts", ISO20022TransactionStatus.rejected.rawValue)
            for reason in reasons { statusReason(code: reason.code, text: reason.text, into: &xml) }
        }
        var groups: [String] = []
        for named in transactions where !groups.contains(named.paymentGroupId) { groups.append(named.paymentGroupId) }
        for group in groups {
            xml.group("OrgnlPmtInfAndSts") { xml in
                xml.element("OrgnlPmtInfId", group)
                xml.element("PmtInfSts", ISO20022TransactionStatus.rejected.rawValue)
                for named in transactions where named.paymentGroupId == group {
                    xml.group("TxInfAndSts") { xml in
                        xml.element("OrgnlEndToEndId", named.endToEndId)
                        xml.element("TxSts", ISO20022TransactionStatus.rejected.rawValue)
                        for reason in named.reasons { statusReason(code: reason.code, text: reason.text, into: &xml) }
                    }
                }
            }
        }
        return xml.finish()
    }

    /// The transactions `reasons` point at by their path (`PmtInf[i]/CdtTrfTxInf[j]…`), with
    /// ids the partner can name (an id that is missing or too long can't be named).
    static func transactionsNamed(by reasons: [Pain001Reason], in document: XMLTree.Element) -> [NamedTransaction] {
        let groups = document.child("CstmrCdtTrfInitn")?.children(named: "PmtInf") ?? []
        var named: [NamedTransaction] = []
        for reason in reasons {
            guard let (groupIndex, index) = transactionPosition(in: reason.text), groupIndex < groups.count else { continue }
            let entries = groups[groupIndex].children(named: "CdtTrfTxInf")
            guard index < entries.count, let groupId = groups[groupIndex].value("PmtInfId"),
                  let endToEndId = entries[index].value("PmtId", "EndToEndId"), (1...35).contains(endToEndId.unicodeScalars.count),
                  (1...35).contains(groupId.unicodeScalars.count) else { continue }
            if let at = named.firstIndex(where: { $0.endToEndId == endToEndId && $0.paymentGroupId == groupId }) {
                named[at] = NamedTransaction(paymentGroupId: groupId, endToEndId: endToEndId, reasons: named[at].reasons + [reason])
            } else {
                named.append(NamedTransaction(paymentGroupId: groupId, endToEndId: endToEndId, reasons: [reason]))
            }
        }
        return named
    }

    /// Zero-based (payment group, transaction) from a reason's `PmtInf[i]/CdtTrfTxInf[j]` path.
    /// A single `PmtInf` or `CdtTrfTxInf` may be written without its index.
    private static func transactionPosition(in text: String) -> (Int, Int)? {
        guard let range = text.range(of: "CdtTrfTxInf") else { return nil }
        func index(after end: String.Index) -> Int? {
            guard end < text.endIndex, text[end] == "[" else { return 1 }
            let digits = text[text.index(after: end)...].prefix { $0.isASCII && $0.isNumber }
            return Int(digits)
        }
        let prefix = text[..<range.lowerBound]
        let group = prefix.range(of: "PmtInf", options: .backwards).flatMap { index(after: $0.upperBound) } ?? 1
        guard let transaction = index(after: range.upperBound), group >= 1, transaction >= 1 else { return nil }
        return (group - 1, transaction - 1)
    }

    /// How much a status report says. ISO 20022 lets a partner stop at any level: every
    /// transaction, only each payment group's status, or only the message's.
    enum Detail: Sendable {
        case transactions
        case paymentGroups
        case group
        /// Every transaction, under the message's Verification of Payee outcome (`RCVC`) as its group status.
        case transactionsAfterPayeeVerification
    }

    /// Where an accepted message stands, in as much `detail` as asked; under `reportedAs` (the
    /// message asked about) as its `OrgnlMsgId`, and wrong in the way `misreport` says.
    static func status(of message: PayoutSandboxMessage, at date: Date, detail: Detail = .transactions, reportedAs: String? = nil,
                       misreport: PayoutMisreport? = nil) -> String {
        var xml = XMLWriter()
        xml.open("Document", attributes: [("xmlns", namespace)])
        xml.open("CstmrPmtStsRpt")
        header(at: date, into: &xml)
        let all = message.paymentGroups.flatMap(\.transactions)
        xml.group("OrgnlGrpInfAndSts") { xml in
            xml.element("OrgnlMsgId", misreport == .otherMessageId ? "PSBXOTHER" + String(message.messageId.prefix(26)) : reportedAs ?? message.messageId)
            xml.element("OrgnlMsgNmId", "pain.001.001.09")
            xml.element("OrgnlNbOfTxs", String(message.numberOfTransactions))
            xml.element("OrgnlCtrlSum", message.controlSum)
            if detail != .paymentGroups {
                xml.element("GrpSts", detail == .transactionsAfterPayeeVerification ? "RCVC" : combinedStatus(all.map(\.status)))
                if detail == .group { summaryReason(all, into: &xml) }
            }
        }
        guard detail != .group else { return xml.finish() }
        for group in message.paymentGroups {
            xml.group("OrgnlPmtInfAndSts") { xml in
                xml.element("OrgnlPmtInfId", group.id)
                xml.element("OrgnlNbOfTxs", String(group.numberOfTransactions))
                xml.element("OrgnlCtrlSum", group.controlSum)
                xml.element("PmtInfSts", combinedStatus(group.transactions.map(\.status)))
                guard detail == .transactions || detail == .transactionsAfterPayeeVerification else {
                    summaryReason(group.transactions, into: &xml)
                    return
                }
                for transaction in group.transactions {
                    if misreport == .conflictingStatuses {
                        xml.group("TxInfAndSts") { xml in
                            xml.element("OrgnlEndToEndId", transaction.endToEndId)
                            xml.element("TxSts", ISO20022TransactionStatus.rejected.rawValue)
                            statusReason(code: "MS03", text: "Reason not specified.", into: &xml)
                        }
                    }
                    xml.group("TxInfAndSts") { xml in
                        xml.element("OrgnlEndToEndId", transaction.endToEndId)
                        xml.element("TxSts", transaction.status.rawValue)
                        if let code = transaction.reasonCode {
                            statusReason(code: code, text: transaction.reasonText, into: &xml)
                        }
                        if let accepted = transaction.acceptedAt {
                            xml.element("AccptncDtTm", timestamp(accepted))
                        }
                        if var amount = transaction.amount, let currency = transaction.currency {
                            if misreport == .otherAmount { amount = oneUnitMore(amount) }
                            xml.group("OrgnlTxRef") { xml in
                                xml.group("Amt") { xml in xml.element("InstdAmt", amount, attributes: [("Ccy", currency)]) }
                            }
                        }
                    }
                }
                if misreport == .transactionNotSent, group.id == message.paymentGroups.first?.id {
                    xml.group("TxInfAndSts") { xml in
                        xml.element("OrgnlEndToEndId", "NOTSENT" + String(message.messageId.prefix(28)))
                        xml.element("TxSts", ISO20022TransactionStatus.rejected.rawValue)
                        statusReason(code: "AC01", text: "The creditor account does not exist at the creditor's bank.", into: &xml)
                    }
                }
            }
        }
        return xml.finish()
    }

    /// `amount` (a decimal as written) with one added to its whole part.
    private static func oneUnitMore(_ amount: String) -> String {
        let parts = amount.split(separator: ".", maxSplits: 1)
        guard let whole = parts.first.flatMap({ Int($0) }) else { return amount }
        return String(whole + 1) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A report that names no transaction gives a rejection's reason at the level it reports, when
    /// every transaction there was rejected for the same one.
    private static func summaryReason(_ transactions: [PayoutSandboxTransaction], into xml: inout XMLWriter) {
        guard transactions.allSatisfy({ $0.status == .rejected }), let first = transactions.first, let code = first.reasonCode,
              transactions.allSatisfy({ $0.reasonCode == code }) else { return }
        statusReason(code: code, text: first.reasonText, into: &xml)
    }

    /// One status for many transactions: all rejected `RJCT`; some rejected `PART`; any still
    /// pending `ACTC` (accepted, in progress); all credited `ACCC`; otherwise `ACSC`.
    static func combinedStatus(_ statuses: [ISO20022TransactionStatus]) -> String {
        let rejected = statuses.filter { $0 == .rejected }.count
        if rejected == statuses.count { return ISO20022TransactionStatus.rejected.rawValue }
        // A group status of its own, which no single transaction has.
        if rejected > 0 { return "PART" }
        if statuses.contains(.pending) { return ISO20022TransactionStatus.accepted.rawValue }
        return (statuses.allSatisfy { $0 == .credited } ? ISO20022TransactionStatus.credited : .settled).rawValue
    }

    private static func header(at date: Date, into xml: inout XMLWriter) {
        xml.group("GrpHdr") { xml in
            let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(28)
            xml.element("MsgId", "PSBX" + id)
            xml.element("CreDtTm", timestamp(date))
        }
    }

    private static func statusReason(code: String, text: String?, into xml: inout XMLWriter) {
        xml.group("StsRsnInf") { xml in
            xml.group("Rsn") { xml in xml.element("Cd", code) }
            for line in lines(text ?? "") { xml.element("AddtlInf", line) }
        }
    }

    /// `text` in pieces of at most 105 characters, broken at spaces where possible.
    static func lines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            while word.count > additionalInformationLength {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(additionalInformationLength)))
                word = word.dropFirst(additionalInformationLength)
            }
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= additionalInformationLength {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
