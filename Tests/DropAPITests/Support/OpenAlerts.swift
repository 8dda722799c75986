import DropStore
import SQLKit

extension OperationsAlertRepository {
    /// The open alerts but `rate_missing`: a test's rates feed publishes only the currencies the test prices, so
    /// every other corridor's currency is (rightly) raised as missing, which says nothing about the test's payment.
    static func openBesidesMissingRates(on db: any SQLDatabase) async throws -> [OperationsAlert] {
        try await open(on: db).filter { $0.kind != .rateMissing }
    }
}
