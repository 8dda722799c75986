import DropAPI
import DropCore
import DropSandbox
import DropStore
import Foundation

/// Development only: Mona Merchant (docs/api.md's sandbox persons) owns a café, so the running app
/// shows a merchant at once. Registration itself stays open to everyone else. As registration
/// asks, Mona's identity check is approved (the Sumsub sandbox's verdict for her: a business takes
/// payments only while its owner's is), and the café settles to Mona's own linked account: her
/// DNB account at the bank sandbox, linked under a consent that needs renewing (the seed can't
/// approve one at the bank); linking DNB in the app brings the same account back, active, under a
/// real consent.
enum MerchantDemoData {
    static let mona = "30098010021"

    static func seed(_ services: AppServices) async throws -> [String] {
        guard let number = try? NationalIdentityNumber(mona) else { return [] }
        let pidHash = services.pidHasher.hash(number)
        let now = services.clock()
        return try await services.database.transaction { db -> [String] in
            var user = try await UserRepository.find(pidHash: pidHash, on: db)
            // A demo database from before merchants needed an approved owner: Mona, never checked, is
            // approved as the sandbox would approve her (a verdict she has had stays).
            if let existing = user, existing.kycStatus == .none {
                try await KYCRepository.applyVerdict(userId: existing.id, status: .approved, rejectLabels: nil, eventAt: now, isPep: existing.isPep,
                                                     isSanctioned: existing.isSanctioned, riskLevel: existing.riskLevel, at: now, on: db)
            }
            if let existing = user, try await MerchantRepository.find(userId: existing.id, on: db) != nil { return [] }
            if user == nil {
                let created = UserRecord(
                    id: RecordID.make(), pidHash: pidHash, name: "Mona Merchant", givenName: "Mona", familyName: "Merchant",
                    birthdate: number.birthDate.iso, phone: nil, email: nil, role: .merchant,
                    kycStatus: .approved, kycApplicantId: nil, riskLevel: .low, isPep: false, isSanctioned: false,
                    locale: "nb", createdAt: now, updatedAt: now, deletedAt: nil)
                try await UserRepository.insert(created, on: db)
                user = created
            }
            guard let owner = user, let account = BankSandbox.accounts(ofNationalId: mona).first(where: { $0.bankId == "dnb" }) else { return [] }
            // Someone else registered the café's number first (trying the form): it is theirs, one business per number.
            if try await MerchantRepository.openHolder(organisationNumber: "923456783", otherThan: owner.id, on: db) != nil { return [] }
            let linked = try await linkedAccount(account, owner: owner.id, at: now, on: db)
            let code = MerchantCode.generate()
            let merchant = MerchantRecord(
                id: RecordID.make(), userId: owner.id, code: code.value, organisationNumber: "923456783", name: "Monas Kaffebar",
                mcc: "5814", city: "Oslo", settlementAccount: account.accountNumber, verified: true, createdAt: now, updatedAt: now,
                settlementBankAccountId: linked.id,
                owner: MerchantOwnerStanding(kycStatus: owner.kycStatus, isSanctioned: owner.isSanctioned, erased: false))
            try await MerchantRepository.insert(merchant, on: db)
            if try await UserRepository.promoteToMerchant(userId: owner.id, at: now, on: db) {
                try await SessionChanges.changed(userId: owner.id, on: db)
            }
            try await AuditLog.append(AuditEntry(actor: .system, action: "merchant.seeded", entityType: "merchant",
                                                 entityId: merchant.id, data: ["code": code.value]), at: now, on: db)
            return ["merchant (Monas Kaffebar, code \(code.value))"]
        }
    }

    /// Mona's account as a link would store it, under a consent marked expired.
    private static func linkedAccount(_ account: BankSandbox.PersonAccount, owner: String, at now: Date, on db: DatabaseConnection) async throws -> BankAccountRecord {
        let consentId = RecordID.make()
        try await BankConsentRepository.insert(BankConsentRecord(
            id: consentId, userId: owner, bankId: account.bankId, providerConsentId: "demo-\(consentId)", status: .expired,
            validUntil: nil, frequencyPerDay: 4, createdAt: now, updatedAt: now), on: db)
        let record = BankAccountRecord(
            id: RecordID.make(), userId: owner, consentId: consentId, bankId: account.bankId, providerAccountId: account.resourceId,
            iban: account.iban, bban: account.accountNumber, bic: account.bic, name: account.name, currency: Currency.nok.code,
            balanceMinor: nil, balanceSyncedAt: nil, status: .reconnect, createdAt: now, updatedAt: now)
        // A consent made just now: upsert answers the stored row (nil only for a removal under the same consent).
        return try await BankAccountRepository.upsert(record, on: db) ?? record
    }
}
