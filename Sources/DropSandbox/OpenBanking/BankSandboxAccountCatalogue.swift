import DropCore

/// The accounts each person starts with, derived only from their national id so every restart
/// (and every developer's machine) shows the same numbers and balances.
enum BankSandboxAccountCatalogue {
    struct Opening {
        let bank: BankSandboxBank
        let name: String
        let product: String
        let balanceMinorUnits: Int64
    }

    static let kari = "15039010043"
    static let ola = "01078510133"

    static func openings(forNationalId nationalId: String) -> [Opening] {
        switch nationalId {
        case kari:
            return [
                Opening(bank: .dnb, name: "Brukskonto", product: "Brukskonto", balanceMinorUnits: 4_235_000),
                Opening(bank: .dnb, name: "Sparekonto", product: "Sparekonto", balanceMinorUnits: 12_890_000),
                Opening(bank: .sparebank1, name: "Brukskonto", product: "Brukskonto", balanceMinorUnits: 1_820_050),
            ]
        case ola:
            return [Opening(bank: .dnb, name: "Brukskonto", product: "Brukskonto", balanceMinorUnits: 2_341_575)]
        default:
            // 5 000,00 – 64 999,99 NOK, whole kroner mostly, from the id's hash.
            let hash = fnv1a(nationalId)
            let kroner = 5_000 + Int64(hash % 60_000)
            let øre = Int64((hash / 60_000) % 4) * 25
            return [Opening(bank: .dnb, name: "Brukskonto", product: "Brukskonto", balanceMinorUnits: kroner * 100 + øre)]
        }
    }

    static func accounts(forNationalId nationalId: String) -> [BankSandboxAccount] {
        openings(forNationalId: nationalId).enumerated().map { index, opening in
            let number = accountNumber(bank: opening.bank, nationalId: nationalId, index: index)
            return BankSandboxAccount(
                resourceId: "\(opening.bank.id)-\(number.digits)", bankId: opening.bank.id,
                ownerNationalId: nationalId, accountNumber: number.digits, iban: number.iban.electronic,
                name: opening.name, product: opening.product, currency: "NOK",
                balanceMinorUnits: opening.balanceMinorUnits
            )
        }
    }

    /// Registration number + 6 digits from the hash + mod-11 check digit; bodies without a
    /// check digit are skipped, as banks do.
    static func accountNumber(bank: BankSandboxBank, nationalId: String, index: Int) -> NorwegianAccountNumber {
        var seed = fnv1a("\(bank.id):\(nationalId):\(index)")
        while true {
            let middle = String(seed % 1_000_000)
            let body = bank.registrationNumber + String(repeating: "0", count: 6 - middle.count) + middle
            let digits = body.unicodeScalars.map { UInt8($0.value - 48) }
            if let check = NorwegianAccountNumber.checkDigit(for: digits),
               let number = try? NorwegianAccountNumber(body + String(check)) {
                return number
            }
            seed &+= 1
        }
    }

    /// FNV-1a: stable across runs, unlike `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}

extension BankSandbox {
    /// An account the sandbox opens for a sandbox person, as Drop links it.
    public struct PersonAccount: Sendable, Equatable {
        public let bankId: String
        /// The `resourceId` the AIS API gives it (Drop's `provider_account_id`).
        public let resourceId: String
        public let accountNumber: String
        public let iban: String
        public let bic: String
        public let name: String
    }

    /// What `nationalId` holds at the sandbox banks: demo data links one without a browser and
    /// matches what a later real link brings back.
    public static func accounts(ofNationalId nationalId: String) -> [PersonAccount] {
        BankSandboxAccountCatalogue.accounts(forNationalId: nationalId).map { account in
            PersonAccount(bankId: account.bankId, resourceId: account.resourceId, accountNumber: account.accountNumber, iban: account.iban,
                          bic: BankSandboxBank.all.first { $0.id == account.bankId }?.bic ?? "", name: account.name)
        }
    }
}
