import DropProviders

/// Each service made from the app's dependencies, taking only the ones it uses: a test makes the
/// same service from an in-memory bank and a test database, without an `AppServices`.
extension AppServices {
    /// Balances, cached and read again from each person's bank.
    public var balances: BalanceService {
        BalanceService(database: database, openBanking: openBanking, clock: clock, logger: logger)
    }

    /// Linking and unlinking banks.
    public var bankConnections: BankConnectionService {
        BankConnectionService(database: database, openBanking: openBanking, pidCipher: pidCipher, publicBaseURL: publicBaseURL, clock: clock)
    }

    /// Payments asked of each person's bank.
    var paymentInitiation: PaymentInitiation {
        PaymentInitiation(
            database: database, openBanking: openBanking, bankConnections: bankConnections,
            collectionAccount: collectionAccount,
            publicBaseURL: publicBaseURL, clock: clock, logger: logger)
    }
}
