/// Why a pain.002 could not be read. Carries element names and codes, never the message's
/// free text (which may hold names).
public enum Pain002ReaderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not well-formed XML.
    case notXML(XMLTreeError)
    /// The root is not a `Document` in a pain.002 namespace this reader knows.
    case unsupportedNamespace(String?)
    /// A mandatory element is missing (path from `CstmrPmtStsRpt`).
    case missingElement(String)
    /// A status that is not an ISO 20022 payment status code.
    case unknownStatusCode(element: String, code: String)

    public var description: String {
        switch self {
        case .notXML(let error): "pain.002 is not XML: \(error)"
        case .unsupportedNamespace(let namespace): "not a supported pain.002 namespace: \(namespace ?? "none")"
        case .missingElement(let path): "pain.002 lacks \(path)"
        case let .unknownStatusCode(element, code): "pain.002 \(element) has unknown status '\(code)'"
        }
    }
}

/// Reads an ISO 20022 pain.002 customer payment status report (`pain.002.001.10`, which pairs
/// with pain.001.001.09, and the later versions of the same shape) into a `PaymentStatusReport`.
///
/// Transactions without their own `TxSts` take their payment group's status, then the
/// message's; a transaction with no status at any level is an error.
public struct Pain002Reader: Sendable {
    /// pain.002.001.10 to .14: the versions whose `CstmrPmtStsRpt` has the shape read here.
    public static let supportedNamespaces: Set<String> = Set((10...14).map { "urn:iso:std:iso:20022:tech:xsd:pain.002.001.\($0)" })

    public init() {}

    public func read(_ text: String) throws(Pain002ReaderError) -> PaymentStatusReport {
        try read(Array(text.utf8))
    }

    public func read(_ bytes: some Sequence<UInt8>) throws(Pain002ReaderError) -> PaymentStatusReport {
        let root: XMLTree.Element
        do {
            root = try XMLTree.parse(bytes)
        } catch {
            throw .notXML(error)
        }
        guard root.name == "Document", let namespace = root.namespace, Self.supportedNamespaces.contains(namespace) else {
            throw .unsupportedNamespace(root.namespace)
        }
        guard let report = root.child("CstmrPmtStsRpt") else { throw .missingElement("CstmrPmtStsRpt") }
        let header = try required(report, "GrpHdr")
        let original = try required(report, "OrgnlGrpInfAndSts")
        let groupStatus = try status(original.value("GrpSts"), element: "OrgnlGrpInfAndSts/GrpSts")

        var paymentInformation: [PaymentInformationStatus] = []
        for info in report.children(named: "OrgnlPmtInfAndSts") {
            let infoStatus = try status(info.value("PmtInfSts"), element: "OrgnlPmtInfAndSts/PmtInfSts")
            var transactions: [PaymentTransactionStatus] = []
            for transaction in info.children(named: "TxInfAndSts") {
                let own = try status(transaction.value("TxSts"), element: "TxInfAndSts/TxSts")
                let inherited = [infoStatus, groupStatus].compactMap { $0 }.first { $0 != .partiallyAccepted }
                guard let resolved = own ?? inherited else { throw .missingElement("TxInfAndSts/TxSts") }
                transactions.append(PaymentTransactionStatus(
                    originalEndToEndId: try text(transaction, "OrgnlEndToEndId", path: "TxInfAndSts/OrgnlEndToEndId"),
                    status: resolved,
                    reasons: reasons(in: transaction),
                    acceptanceDateTime: transaction.value("AccptncDtTm"),
                    originalAmount: transaction.value("OrgnlTxRef", "Amt", "InstdAmt"),
                    originalCurrency: transaction.descendant("OrgnlTxRef", "Amt", "InstdAmt")?.attributes["Ccy"]
                ))
            }
            paymentInformation.append(PaymentInformationStatus(
                originalPaymentInformationId: try text(info, "OrgnlPmtInfId", path: "OrgnlPmtInfAndSts/OrgnlPmtInfId"),
                status: infoStatus, reasons: reasons(in: info), transactions: transactions
            ))
        }
        return PaymentStatusReport(
            messageId: try text(header, "MsgId", path: "GrpHdr/MsgId"),
            creationDateTime: try text(header, "CreDtTm", path: "GrpHdr/CreDtTm"),
            originalMessageId: try text(original, "OrgnlMsgId", path: "OrgnlGrpInfAndSts/OrgnlMsgId"),
            originalMessageNameId: try text(original, "OrgnlMsgNmId", path: "OrgnlGrpInfAndSts/OrgnlMsgNmId"),
            groupStatus: groupStatus, groupReasons: reasons(in: original), paymentInformation: paymentInformation,
            originalNumberOfTransactions: original.value("OrgnlNbOfTxs"), originalControlSum: original.value("OrgnlCtrlSum")
        )
    }

    private func required(_ parent: XMLTree.Element, _ name: String) throws(Pain002ReaderError) -> XMLTree.Element {
        guard let child = parent.child(name) else { throw .missingElement(name) }
        return child
    }

    private func text(_ parent: XMLTree.Element, _ name: String, path: String) throws(Pain002ReaderError) -> String {
        guard let value = parent.value(name), !value.isEmpty else { throw .missingElement(path) }
        return value
    }

    private func status(_ code: String?, element: String) throws(Pain002ReaderError) -> PaymentStatusCode? {
        guard let code else { return nil }
        guard let status = PaymentStatusCode(rawValue: code) else {
            throw .unknownStatusCode(element: element, code: String(code.prefix(8)))
        }
        return status
    }

    /// `StsRsnInf` entries: `Rsn/Cd` or `Rsn/Prtry`, and the `AddtlInf` lines joined.
    private func reasons(in parent: XMLTree.Element) -> [PaymentStatusReason] {
        parent.children(named: "StsRsnInf").map { info in
            let code = info.value("Rsn", "Cd") ?? info.value("Rsn", "Prtry")
            let lines = info.children(named: "AddtlInf").map { $0.text.trimmingSurroundingWhitespace() }.filter { !$0.isEmpty }
            return PaymentStatusReason(code: code.flatMap { $0.isEmpty ? nil : $0 }, additionalInformation: lines.isEmpty ? nil : lines.joined(separator: " "))
        }
    }
}
