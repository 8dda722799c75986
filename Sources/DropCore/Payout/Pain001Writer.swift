/// Renders a `PayoutBatch` as an ISO 20022 `pain.001.001.09` customer credit transfer initiation
/// (docs/protocols.md §6), elements in the schema's sequence order.
///
/// Per (currency, rail) one `PmtInf`: SEPA ones carry `PmtTpInf/SvcLvl/Cd=SEPA` and `ChrgBr=SLEV`,
/// the others `ChrgBr=SHAR`. Amounts have exactly the currency's decimals (`1500` JPY, `10.00` EUR,
/// `1.250` KWD); control sums are plain decimal sums. Free text is fitted to the rail: SEPA text is
/// transliterated into the EPC Latin set (names ≤ 70), cross-border text into the CBPR+ Latin set,
/// which keeps a few more signs such as `&` (names ≤ 140); `Ustrd` ≤ 140. Everything is XML-escaped.
public struct Pain001Writer: Sendable {
    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
    public static let messageNameId = "pain.001.001.09"

    public init() {}

    public func xml(for batch: PayoutBatch) -> String {
        var xml = XMLWriter()
        xml.open("Document", attributes: [("xmlns", Self.namespace)])
        xml.open("CstmrCdtTrfInitn")
        xml.group("GrpHdr") { xml in
            xml.element("MsgId", batch.messageId)
            xml.element("CreDtTm", ISODateTimeText.utc(batch.creationTime))
            xml.element("NbOfTxs", String(batch.numberOfTransactions))
            xml.element("CtrlSum", batch.controlSum)
            // The whole message travels the SEPA scheme when any part does, so its charset applies here too.
            let rail: Rail = batch.paymentGroups.contains { $0.rail == .sepa } ? .sepa : .swift
            xml.group("InitgPty") { xml in
                xml.element("Nm", PayoutText.fitted(batch.initiatingPartyName, rail: rail, maxLength: nameLength(rail)))
            }
        }
        for group in batch.paymentGroups {
            paymentInformation(group, batch: batch, into: &xml)
        }
        return xml.finish()
    }

    public func data(for batch: PayoutBatch) -> [UInt8] {
        Array(xml(for: batch).utf8)
    }

    /// The `PmtInfId` each payout of a pain.001 went out in, by `EndToEndId`, read back from a
    /// message this writer wrote (the `payouts.pain001` Drop stores): what a partner's
    /// `PmtInfSts` without `TxInfAndSts` is about.
    public static func paymentGroupIds(in xml: String) throws(XMLTreeError) -> [String: String] {
        let document = try XMLTree.parse(xml)
        var ids: [String: String] = [:]
        for info in document.child("CstmrCdtTrfInitn")?.children(named: "PmtInf") ?? [] {
            guard let group = info.value("PmtInfId") else { continue }
            for transfer in info.children(named: "CdtTrfTxInf") {
                if let endToEndId = transfer.value("PmtId", "EndToEndId") { ids[endToEndId] = group }
            }
        }
        return ids
    }

    /// The earliest `ReqdExctnDt` of a pain.001 this writer wrote: the day its payments were asked for.
    public static func requestedExecutionDate(in xml: String) throws(XMLTreeError) -> CalendarDate? {
        let document = try XMLTree.parse(xml)
        return (document.child("CstmrCdtTrfInitn")?.children(named: "PmtInf") ?? [])
            .compactMap { $0.value("ReqdExctnDt", "Dt").flatMap { try? CalendarDate(iso: $0) } }.min()
    }

    private func paymentInformation(_ group: PayoutBatch.PaymentGroup, batch: PayoutBatch, into xml: inout XMLWriter) {
        let rail = group.rail
        xml.group("PmtInf") { xml in
            xml.element("PmtInfId", group.id)
            xml.element("PmtMtd", "TRF")
            xml.element("NbOfTxs", String(group.instructions.count))
            xml.element("CtrlSum", group.controlSum.decimalString)
            if rail == .sepa {
                xml.group("PmtTpInf") { xml in
                    xml.group("SvcLvl") { xml in xml.element("Cd", "SEPA") }
                }
            }
            xml.group("ReqdExctnDt") { xml in xml.element("Dt", batch.requestedExecutionDate.iso) }
            xml.group("Dbtr") { xml in
                xml.element("Nm", PayoutText.fitted(batch.debtor.name, rail: rail, maxLength: nameLength(rail)))
                xml.group("PstlAdr") { xml in xml.element("Ctry", batch.debtor.iban.countryCode.rawValue) }
            }
            xml.group("DbtrAcct") { xml in
                xml.group("Id") { xml in xml.element("IBAN", batch.debtor.iban.electronic) }
            }
            xml.group("DbtrAgt") { xml in
                xml.group("FinInstnId") { xml in xml.element("BICFI", batch.debtor.bic.value) }
            }
            xml.element("ChrgBr", rail == .sepa ? "SLEV" : "SHAR")
            for instruction in group.instructions {
                creditTransfer(instruction, into: &xml)
            }
        }
    }

    private func creditTransfer(_ instruction: PayoutInstruction, into xml: inout XMLWriter) {
        let rail = instruction.rail
        xml.group("CdtTrfTxInf") { xml in
            xml.group("PmtId") { xml in xml.element("EndToEndId", instruction.endToEndId.value) }
            xml.group("Amt") { xml in
                xml.element("InstdAmt", instruction.amount.decimalString, attributes: [("Ccy", instruction.amount.currency.code)])
            }
            if instruction.creditorAgentBIC != nil || instruction.creditorAgentClearing != nil {
                xml.group("CdtrAgt") { xml in
                    xml.group("FinInstnId") { xml in
                        if let bic = instruction.creditorAgentBIC { xml.element("BICFI", bic.value) }
                        if let clearing = instruction.creditorAgentClearing {
                            xml.group("ClrSysMmbId") { xml in
                                xml.group("ClrSysId") { xml in xml.element("Cd", clearing.systemCode) }
                                xml.element("MmbId", clearing.memberId)
                            }
                        }
                    }
                }
            }
            xml.group("Cdtr") { xml in
                xml.element("Nm", PayeeName.atBank(instruction.creditorName, rail: rail))
                xml.group("PstlAdr") { xml in
                    // PostalAddress24 order: StrtNm, BldgNb, PstCd, TwnNm, Ctry.
                    let address = instruction.creditorAddress
                    xml.element("StrtNm", ifPresent: fitted(address?.street, rail: rail, maxLength: 70))
                    xml.element("BldgNb", ifPresent: fitted(address?.buildingNumber, rail: rail, maxLength: 16))
                    xml.element("PstCd", ifPresent: fitted(address?.postCode, rail: rail, maxLength: 16))
                    xml.element("TwnNm", ifPresent: fitted(address?.town, rail: rail, maxLength: 35))
                    xml.element("Ctry", instruction.creditorCountry.rawValue)
                }
            }
            xml.group("CdtrAcct") { xml in
                xml.group("Id") { xml in
                    switch instruction.creditorAccount {
                    case .iban(let iban):
                        xml.element("IBAN", iban.electronic)
                    case .other(let number):
                        xml.group("Othr") { xml in xml.element("Id", number) }
                    }
                }
            }
            if let text = instruction.remittanceInformation {
                xml.group("RmtInf") { xml in
                    xml.element("Ustrd", PayoutText.fitted(text, rail: rail, maxLength: PayoutInstruction.maximumRemittanceLength))
                }
            }
        }
    }

    private func nameLength(_ rail: Rail) -> Int { PayoutInstruction.maximumNameLength(rail) }

    /// Optional address parts: blank ones are left out rather than written as ".".
    private func fitted(_ text: String?, rail: Rail, maxLength: Int) -> String? {
        guard let text, !text.trimmingSurroundingWhitespace().isEmpty else { return nil }
        return PayoutText.fitted(text, rail: rail, maxLength: maxLength)
    }
}
