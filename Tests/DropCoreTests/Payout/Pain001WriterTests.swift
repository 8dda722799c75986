import DropCore
import Foundation
import Testing

@Suite("pain.001.001.09 writer")
struct Pain001WriterTests {
    typealias F = PayoutFixtures

    /// Two SEPA payouts around a PKR one: grouped into one PmtInf per currency and rail, in order
    /// of first appearance; SEPA text transliterated, cross-border text kept and escaped.
    @Test func writesASmallBatchExactly() throws {
        let batch = try F.batch([
            try F.sepa("E2E-1", 250_00, name: "Åse Ødegård", remittance: "Gift for Åse"),
            try F.swift("E2E-2", 10_000_50, currency: "PKR", name: "Ali & Sons <Ltd>", country: "PK",
                        account: .iban(try IBAN("PK36SCBL0000001123456702")), bic: "SCBLPKKX",
                        remittance: #"He said "hi" & 'bye'"#),
            try F.sepa("E2E-3", 1, name: "Jean O'Neil", iban: "FR1420041010050500013M02606",
                       address: .init(street: "Rue de la Paix 1", postCode: "75002", town: "Paris")),
        ])
        let expected = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
          <CstmrCdtTrfInitn>
            <GrpHdr>
              <MsgId>DROP20261121-0001</MsgId>
              <CreDtTm>2026-11-21T10:15:30Z</CreDtTm>
              <NbOfTxs>3</NbOfTxs>
              <CtrlSum>10250.51</CtrlSum>
              <InitgPty>
                <Nm>Drop Payments AS</Nm>
              </InitgPty>
            </GrpHdr>
            <PmtInf>
              <PmtInfId>DROP20261121-0001-1</PmtInfId>
              <PmtMtd>TRF</PmtMtd>
              <NbOfTxs>2</NbOfTxs>
              <CtrlSum>250.01</CtrlSum>
              <PmtTpInf>
                <SvcLvl>
                  <Cd>SEPA</Cd>
                </SvcLvl>
              </PmtTpInf>
              <ReqdExctnDt>
                <Dt>2026-11-23</Dt>
              </ReqdExctnDt>
              <Dbtr>
                <Nm>Drop Payments AS</Nm>
                <PstlAdr>
                  <Ctry>NO</Ctry>
                </PstlAdr>
              </Dbtr>
              <DbtrAcct>
                <Id>
                  <IBAN>NO9386011117947</IBAN>
                </Id>
              </DbtrAcct>
              <DbtrAgt>
                <FinInstnId>
                  <BICFI>DNBANOKK</BICFI>
                </FinInstnId>
              </DbtrAgt>
              <ChrgBr>SLEV</ChrgBr>
              <CdtTrfTxInf>
                <PmtId>
                  <EndToEndId>E2E-1</EndToEndId>
                </PmtId>
                <Amt>
                  <InstdAmt Ccy="EUR">250.00</InstdAmt>
                </Amt>
                <Cdtr>
                  <Nm>Aase Odegaard</Nm>
                  <PstlAdr>
                    <Ctry>DE</Ctry>
                  </PstlAdr>
                </Cdtr>
                <CdtrAcct>
                  <Id>
                    <IBAN>DE89370400440532013000</IBAN>
                  </Id>
                </CdtrAcct>
                <RmtInf>
                  <Ustrd>Gift for Aase</Ustrd>
                </RmtInf>
              </CdtTrfTxInf>
              <CdtTrfTxInf>
                <PmtId>
                  <EndToEndId>E2E-3</EndToEndId>
                </PmtId>
                <Amt>
                  <InstdAmt Ccy="EUR">0.01</InstdAmt>
                </Amt>
                <Cdtr>
                  <Nm>Jean O&apos;Neil</Nm>
                  <PstlAdr>
                    <StrtNm>Rue de la Paix 1</StrtNm>
                    <PstCd>75002</PstCd>
                    <TwnNm>Paris</TwnNm>
                    <Ctry>FR</Ctry>
                  </PstlAdr>
                </Cdtr>
                <CdtrAcct>
                  <Id>
                    <IBAN>FR1420041010050500013M02606</IBAN>
                  </Id>
                </CdtrAcct>
              </CdtTrfTxInf>
            </PmtInf>
            <PmtInf>
              <PmtInfId>DROP20261121-0001-2</PmtInfId>
              <PmtMtd>TRF</PmtMtd>
              <NbOfTxs>1</NbOfTxs>
              <CtrlSum>10000.50</CtrlSum>
              <ReqdExctnDt>
                <Dt>2026-11-23</Dt>
              </ReqdExctnDt>
              <Dbtr>
                <Nm>Drop Payments AS</Nm>
                <PstlAdr>
                  <Ctry>NO</Ctry>
                </PstlAdr>
              </Dbtr>
              <DbtrAcct>
                <Id>
                  <IBAN>NO9386011117947</IBAN>
                </Id>
              </DbtrAcct>
              <DbtrAgt>
                <FinInstnId>
                  <BICFI>DNBANOKK</BICFI>
                </FinInstnId>
              </DbtrAgt>
              <ChrgBr>SHAR</ChrgBr>
              <CdtTrfTxInf>
                <PmtId>
                  <EndToEndId>E2E-2</EndToEndId>
                </PmtId>
                <Amt>
                  <InstdAmt Ccy="PKR">10000.50</InstdAmt>
                </Amt>
                <CdtrAgt>
                  <FinInstnId>
                    <BICFI>SCBLPKKX</BICFI>
                  </FinInstnId>
                </CdtrAgt>
                <Cdtr>
                  <Nm>Ali &amp; Sons &lt;Ltd&gt;</Nm>
                  <PstlAdr>
                    <Ctry>PK</Ctry>
                  </PstlAdr>
                </Cdtr>
                <CdtrAcct>
                  <Id>
                    <IBAN>PK36SCBL0000001123456702</IBAN>
                  </Id>
                </CdtrAcct>
                <RmtInf>
                  <Ustrd>He said &quot;hi&quot; &amp; &apos;bye&apos;</Ustrd>
                </RmtInf>
              </CdtTrfTxInf>
            </PmtInf>
          </CstmrCdtTrfInitn>
        </Document>

        """
        #expect(Pain001Writer().xml(for: batch) == expected)
    }

    @Test(arguments: [
        ("JPY", Int64(1_500), "1500"), ("JPY", 7, "7"), ("EUR", 1, "0.01"), ("EUR", 123_456_789, "1234567.89"),
        ("KWD", 1_250, "1.250"), ("KWD", 5, "0.005"), ("BHD", 1_000, "1.000"),
    ])
    func amountsCarryTheCurrencysDecimals(_ code: String, _ minor: Int64, _ expected: String) throws {
        let batch = try F.batch([try F.swift("E2E-1", minor, currency: code, country: "US", account: .other("123456789"), bic: "CHASUS33")])
        let xml = Pain001Writer().xml(for: batch)
        #expect(xml.contains(#"<InstdAmt Ccy="\#(code)">\#(expected)</InstdAmt>"#))
        #expect(xml.contains("<CtrlSum>\(expected)</CtrlSum>"))
    }

    /// What a partner's `PmtInfSts` is about: each payout's `PmtInfId`, read back from the message as written.
    @Test func thePaymentGroupOfEachPayoutIsReadBackFromTheMessage() throws {
        let batch = try PayoutFixtures.batch([
            try PayoutFixtures.sepa("E2E-1", 250_00),
            try PayoutFixtures.swift("E2E-2", 10_000_50, currency: "PKR", country: "PK",
                                     account: .iban(try IBAN("PK36SCBL0000001123456702")), bic: "SCBLPKKX"),
            try PayoutFixtures.sepa("E2E-3", 1),
        ])
        let ids = try Pain001Writer.paymentGroupIds(in: Pain001Writer().xml(for: batch))
        #expect(ids == ["E2E-1": "DROP20261121-0001-1", "E2E-2": "DROP20261121-0001-2", "E2E-3": "DROP20261121-0001-1"])
        for instruction in batch.instructions {
            #expect(ids[instruction.endToEndId.value] == batch.paymentGroup(containing: instruction.endToEndId.value)?.id)
        }
        #expect(throws: XMLTreeError.self) { try Pain001Writer.paymentGroupIds(in: "<Document>") }
    }

    @Test func controlSumAddsDecimalsAcrossCurrencies() throws {
        let batch = try F.batch([
            try F.sepa("A", 10_00),
            try F.swift("B", 1_250, currency: "KWD", country: "KW", account: .other("0001234567"), bic: "NBOKKWKW"),
            try F.swift("C", 1_500, currency: "JPY", country: "JP", account: .other("1234567"), bic: "MHCBJPJT"),
            try F.sepa("D", 5),
        ])
        #expect(batch.controlSum == "1511.300")
        #expect(batch.paymentGroups.map(\.id) == ["DROP20261121-0001-1", "DROP20261121-0001-2", "DROP20261121-0001-3"])
        #expect(batch.paymentGroups.map(\.controlSum.decimalString) == ["10.05", "1.250", "1500"])
        #expect(batch.paymentGroups[0].instructions.map(\.endToEndId.value) == ["A", "D"])
        let xml = Pain001Writer().xml(for: batch)
        #expect(xml.contains("<NbOfTxs>4</NbOfTxs>\n      <CtrlSum>1511.300</CtrlSum>"))
    }

    @Test func creditorAgentByClearingCodeAndAccountNumber() throws {
        let instruction = try PayoutInstruction(
            endToEndId: try EndToEndId("IN-1"), amount: Money(minorUnits: 5_000_00, currency: try Currency(code: "INR")), rail: .swift,
            creditorName: "Priya Sharma", creditorAccount: .other("00011020001772"), creditorAgentClearing: .ifsc("HDFC0000001"),
            creditorCountry: try CountryCode("IN")
        )
        let xml = Pain001Writer().xml(for: try F.batch([instruction]))
        #expect(xml.contains("""
                <CdtrAgt>
                  <FinInstnId>
                    <ClrSysMmbId>
                      <ClrSysId>
                        <Cd>INFSC</Cd>
                      </ClrSysId>
                      <MmbId>HDFC0000001</MmbId>
                    </ClrSysMmbId>
                  </FinInstnId>
                </CdtrAgt>
        """))
        #expect(xml.contains("""
                <CdtrAcct>
                  <Id>
                    <Othr>
                      <Id>00011020001772</Id>
                    </Othr>
                  </Id>
                </CdtrAcct>
        """))
    }

    /// Elements appear in the pain.001.001.09 sequence order at every level that has them.
    @Test func elementsFollowTheSchemaSequence() throws {
        let batch = try F.batch([
            try F.sepa("E2E-1", 1_00, remittance: "x"),
            try F.swift("E2E-2", 1_00, currency: "USD", country: "US", account: .other("123456789"), bic: "CHASUS33", remittance: "y"),
        ])
        let document = try XMLTree.parse(Pain001Writer().xml(for: batch))
        #expect(document.namespace == Pain001Writer.namespace)
        let initiation = try #require(document.child("CstmrCdtTrfInitn"))
        #expect(initiation.children.map(\.name) == ["GrpHdr", "PmtInf", "PmtInf"])
        #expect(try #require(initiation.child("GrpHdr")).children.map(\.name) == ["MsgId", "CreDtTm", "NbOfTxs", "CtrlSum", "InitgPty"])
        let infos = initiation.children(named: "PmtInf")
        #expect(infos[0].children.map(\.name) == [
            "PmtInfId", "PmtMtd", "NbOfTxs", "CtrlSum", "PmtTpInf", "ReqdExctnDt", "Dbtr", "DbtrAcct", "DbtrAgt", "ChrgBr", "CdtTrfTxInf",
        ])
        #expect(infos[1].children.map(\.name) == [
            "PmtInfId", "PmtMtd", "NbOfTxs", "CtrlSum", "ReqdExctnDt", "Dbtr", "DbtrAcct", "DbtrAgt", "ChrgBr", "CdtTrfTxInf",
        ])
        #expect(try #require(infos[1].child("CdtTrfTxInf")).children.map(\.name) == ["PmtId", "Amt", "CdtrAgt", "Cdtr", "CdtrAcct", "RmtInf"])
        #expect(infos[1].value("ChrgBr") == "SHAR")
        #expect(infos[0].value("ChrgBr") == "SLEV")
    }

    @Test(arguments: [
        ("Ærlig Søren & Co", "Aerlig Soren + Co"),
        ("//Firma//AS/", "Firma/AS"),
        ("Nguyễn Thị Ánh", "Nguyen Thi Anh"),
    ])
    func sepaTextIsTransliterated(_ name: String, _ expected: String) throws {
        let xml = Pain001Writer().xml(for: try F.batch([try F.sepa("E2E-1", 1_00, name: name)]))
        let written = try #require(try XMLTree.parse(xml).descendant("CstmrCdtTrfInitn", "PmtInf", "CdtTrfTxInf", "Cdtr")?.value("Nm"))
        #expect(written == expected)
        #expect(SEPACharacterSet.isValid(written))
    }

    @Test func theInitiatingPartyFollowsSEPAWhenAnyPaymentGroupIsSEPA() throws {
        func initiator(_ instructions: [PayoutInstruction]) throws -> String? {
            let batch = try PayoutBatch(messageId: "M1", creationTime: F.creationTime, initiatingPartyName: "Drøp & Co", debtor: F.debtor,
                                        requestedExecutionDate: F.executionDate, instructions: instructions)
            return try XMLTree.parse(Pain001Writer().xml(for: batch)).descendant("CstmrCdtTrfInitn", "GrpHdr", "InitgPty")?.value("Nm")
        }
        let usd = try F.swift("B", 1_00, currency: "USD", country: "US", account: .other("123456789"), bic: "CHASUS33")
        #expect(try initiator([usd, try F.sepa("A", 1_00)]) == "Drop + Co")
        // Cross-border text is in CBPR+'s Latin set, which keeps "&".
        #expect(try initiator([usd]) == "Drop & Co")
    }

    @Test func sepaNamesUpTo70AreWrittenWholeAndRemittanceIsCutTo140() throws {
        let remittance = String(repeating: "æ", count: 140)
        let xml = Pain001Writer().xml(for: try F.batch([try F.sepa("E2E-1", 1_00, name: String(repeating: "Ø", count: 70), remittance: remittance)]))
        let transaction = try #require(try XMLTree.parse(xml).descendant("CstmrCdtTrfInitn", "PmtInf", "CdtTrfTxInf"))
        #expect(transaction.value("Cdtr", "Nm") == String(repeating: "O", count: 70))
        #expect(transaction.value("RmtInf", "Ustrd") == String(repeating: "ae", count: 70))
        // A longer name is refused rather than cut: the partner would pay someone of another name.
        #expect(throws: ValidationIssue.self) { try F.sepa("E2E-1", 1_00, name: String(repeating: "Ø", count: 71)) }
        // "Å" is written "Aa": 35 of them fill the 70.
        #expect(throws: ValidationIssue.self) { try F.sepa("E2E-1", 1_00, name: String(repeating: "Å", count: 36)) }
        // "Ærø" is 4 code points once written for SEPA ("Aero"): 69 of them plus "Æ" is 71.
        #expect(throws: ValidationIssue.self) { try F.sepa("E2E-1", 1_00, name: String(repeating: "a", count: 69) + "Æ") }
    }

    @Test func lengthsAreCodePointsAsThePartnerCountsThem() throws {
        // Accents stacked on letters are dropped with the transliteration; what is left is counted as written.
        let stacked = "Ali" + String(repeating: "\u{0301}", count: 300)
        #expect(stacked.count == 3)
        let instruction = try F.swift("E2E-1", 1_00, currency: "USD", name: stacked, country: "US", account: .other("123456789"), bic: "CHASUS33")
        let xml = Pain001Writer().xml(for: try F.batch([instruction]))
        #expect(try XMLTree.parse(xml).descendant("CstmrCdtTrfInitn", "PmtInf", "CdtTrfTxInf")?.value("Cdtr", "Nm") == "Ali")
        // "ß" goes as "ss": 71 letters as written, over SEPA's 70, though typed as 70.
        #expect(throws: ValidationIssue.self) { try F.sepa("E2E-1", 1_00, name: String(repeating: "a", count: 69) + "ß") }
        #expect(throws: ValidationIssue.self) {
            try F.swift("E2E-1", 1_00, currency: "USD", name: String(repeating: "a", count: 140) + "ß", country: "US",
                        account: .other("123456789"), bic: "CHASUS33")
        }
    }

    /// CBPR+ carries Latin letters and a few signs only: cross-border names and addresses are
    /// transliterated as SEPA's are, control characters are spaces, and `&` `<` `>` are kept (escaped).
    @Test func crossBorderTextIsWrittenInTheCBPRLatinSet() throws {
        let instruction = try F.swift("E2E-1", 1_00, currency: "USD", name: "Ayşe\u{0007} Yılmaz\n&\tco", country: "US",
                                      account: .other("123456789"), bic: "CHASUS33")
        let xml = Pain001Writer().xml(for: try F.batch([instruction]))
        #expect(xml.contains("<Nm>Ayse Yilmaz &amp; co</Nm>"))
        #expect(try XMLTree.parse(xml).name == "Document")
        let vietnam = try F.swift("E2E-2", 1_00, currency: "USD", name: "Nguyễn Văn Hùng", country: "US", account: .other("123456789"),
                                  bic: "CHASUS33", address: .init(street: "Đường Lê Lợi 5", town: "Hà Nội"))
        let written = try XMLTree.parse(Pain001Writer().xml(for: try F.batch([vietnam])))
        let creditor = try #require(written.descendant("CstmrCdtTrfInitn", "PmtInf", "CdtTrfTxInf", "Cdtr"))
        #expect(creditor.value("Nm") == "Nguyen Van Hung")
        #expect(creditor.value("PstlAdr", "StrtNm") == "Duong Le Loi 5" && creditor.value("PstlAdr", "TwnNm") == "Ha Noi")
    }

    /// A name or address with no Latin writing would go as dots: the partner refuses the file, or the
    /// recipient's bank can't match the name. The instruction is refused instead, naming the field.
    @Test func crossBorderNamesWithoutALatinWritingAreRefused() throws {
        for name in ["Олена Коваленко", "李小龍", "☃"] {
            let error = #expect(throws: ValidationIssue.self) {
                try F.swift("E2E-1", 1_00, currency: "USD", name: name, country: "US", account: .other("123456789"), bic: "CHASUS33")
            }
            #expect(error?.field == "creditorName" && error?.issue == RecipientValidator.IssueCode.characters, "\(name)")
        }
        // SEPA alike: these went as "..." and "Zoe .b.Mueller./b.".
        for name in ["李小龍", "Zoë <b>Müller</b>"] {
            #expect(throws: ValidationIssue.self, "\(name)") { try F.sepa("E2E-1", 1_00, name: name) }
        }
        let error = #expect(throws: ValidationIssue.self) {
            try F.swift("E2E-1", 1_00, currency: "USD", name: "Olena Kovalenko", country: "US", account: .other("123456789"), bic: "CHASUS33",
                        address: .init(street: "Шевченка 5", town: "Kyiv"))
        }
        #expect(error?.field == "creditorAddress.street")
    }

    @Test func escapingCoversAllFiveCharactersAndDropsNonXMLCharacters() {
        #expect(XMLWriter.escaped(#"a&b<c>d"e'f"#) == "a&amp;b&lt;c&gt;d&quot;e&apos;f")
        #expect(XMLWriter.escaped("x\u{0}y\u{1B}z\u{FFFE}") == "xyz")
        #expect(XMLWriter.escaped("tab\tok") == "tab\tok")
        var writer = XMLWriter(declaration: false)
        writer.element("A", "1", attributes: [("v", #"<"'&'">"#)])
        #expect(writer.finish() == #"<A v="&lt;&quot;&apos;&amp;&apos;&quot;&gt;">1</A>"# + "\n")
    }

    @Test func batchRules() throws {
        #expect(throws: ValidationIssue.self) { try F.batch([]) }
        #expect(throws: ValidationIssue.self) { try F.batch([try F.sepa("A", 1), try F.sepa("A", 2)]) }
        #expect(throws: ValidationIssue.self) { try F.batch([try F.sepa("A", 1)], messageId: "") }
        #expect(throws: ValidationIssue.self) { try F.batch([try F.sepa("A", 1)], messageId: String(repeating: "M", count: 36)) }
        #expect(throws: ValidationIssue.self) { try F.batch([try F.sepa("A", 1)], messageId: "has space") }
        #expect(throws: ValidationIssue.self) { try F.batch([try F.sepa("A", .max), try F.sepa("B", 1)]) }
        // A 35-character message id still leaves room for the PmtInf suffix.
        let long = try F.batch([try F.sepa("A", 1)], messageId: String(repeating: "M", count: 35))
        #expect(long.paymentGroups[0].id == String(repeating: "M", count: 33) + "-1")
    }

    @Test func instructionRules() throws {
        #expect(throws: ValidationIssue.self) { try F.sepa("A", 0) }
        #expect(throws: ValidationIssue.self) { try F.sepa("A", -5) }
        #expect(throws: ValidationIssue.self) { try F.sepa("A", 1, name: "   ") }
        #expect(throws: ValidationIssue.self) { try F.sepa("A", 1, remittance: String(repeating: "x", count: 141)) }
        // SEPA is EUR to an IBAN.
        #expect(throws: ValidationIssue.self) {
            try PayoutInstruction(endToEndId: try EndToEndId("A"), amount: Money(minorUnits: 1, currency: .sek), rail: .sepa,
                                  creditorName: "X", creditorAccount: .iban(try IBAN("DE89370400440532013000")), creditorCountry: try CountryCode("DE"))
        }
        #expect(throws: ValidationIssue.self) {
            try PayoutInstruction(endToEndId: try EndToEndId("A"), amount: Money(minorUnits: 1, currency: .eur), rail: .sepa,
                                  creditorName: "X", creditorAccount: .other("12345678"), creditorCountry: try CountryCode("DE"))
        }
        #expect(throws: ValidationIssue.self) { try F.swift("A", 1, currency: "USD", country: "US", account: .other("1 2"), bic: nil) }
        #expect(throws: ValidationIssue.self) { try EndToEndId(String(repeating: "E", count: 36)) }
        #expect(throws: ValidationIssue.self) { try EndToEndId("a b") }
    }

    @Test func instructionFromARecipientInEachAccountFormat() throws {
        let id = try EndToEndId("E2E-1")
        let germany = try #require(Corridors.find(country: try CountryCode("DE"), currency: .eur))
        let sepa = try PayoutInstruction(
            endToEndId: id, amount: Money(minorUnits: 100_00, currency: .eur),
            recipient: RecipientDetails(name: " Hans Müller ", country: try CountryCode("DE"), currency: .eur, iban: "DE89 3704 0044 0532 0130 00",
                                        address: .init(street: "Hauptstr. 1", postCode: "10115", city: "Berlin")),
            corridor: germany, remittanceInformation: "Rent"
        )
        #expect(sepa.rail == .sepa)
        #expect(sepa.creditorName == "Hans Müller")
        #expect(sepa.creditorAccount == .iban(try IBAN("DE89370400440532013000")))
        #expect(sepa.creditorAddress == .init(street: "Hauptstr. 1", postCode: "10115", town: "Berlin"))

        let india = try #require(Corridors.find(country: try CountryCode("IN"), currency: try Currency(code: "INR")))
        let inr = try PayoutInstruction(
            endToEndId: id, amount: Money(minorUnits: 100_00, currency: try Currency(code: "INR")),
            recipient: RecipientDetails(name: "Priya", country: try CountryCode("IN"), currency: try Currency(code: "INR"),
                                        accountNumber: "00011020001772", ifsc: "hdfc0000001"),
            corridor: india
        )
        #expect(inr.rail == .swift)
        #expect(inr.creditorAccount == .other("00011020001772"))
        #expect(inr.creditorAgentClearing == .ifsc("HDFC0000001"))

        // Wrong currency for the corridor, and a missing account, are refused.
        #expect(throws: ValidationIssue.self) {
            try PayoutInstruction(endToEndId: id, amount: Money(minorUnits: 1, currency: .usd),
                                  recipient: RecipientDetails(name: "Hans", country: try CountryCode("DE"), currency: .eur, iban: "DE89370400440532013000"),
                                  corridor: germany)
        }
        #expect(throws: ValidationIssue.self) {
            try PayoutInstruction(endToEndId: id, amount: Money(minorUnits: 1, currency: .eur),
                                  recipient: RecipientDetails(name: "Hans", country: try CountryCode("DE"), currency: .eur), corridor: germany)
        }
    }
}
