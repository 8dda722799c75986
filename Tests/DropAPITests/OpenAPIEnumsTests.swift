import DropCore
import DropStore
import Foundation
import Testing

/// The contract's closed lists are the code's: a client generated from openapi.json must decode every
/// value Drop sends (an operations alert of a kind the spec doesn't list would fail to decode).
@Suite struct OpenAPIEnumsTests {
    static func document() throws -> [String: Any] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/DropAPI/Docs/openapi.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    }

    /// Every `enum` in the contract's schemas that holds `member`.
    static func enums(holding member: String, in value: Any) -> [Set<String>] {
        switch value {
        case let object as [String: Any]:
            var found = object.values.flatMap { enums(holding: member, in: $0) }
            if let list = object["enum"] as? [String], list.contains(member) { found.append(Set(list)) }
            return found
        case let array as [Any]:
            return array.flatMap { enums(holding: member, in: $0) }
        default:
            return []
        }
    }

    @Test func operationsAlertKindsAreTheCodes() throws {
        let lists = Self.enums(holding: OperationsAlert.Kind.lateSettlement.rawValue, in: try Self.document())
        #expect(!lists.isEmpty)
        for list in lists { #expect(list == Set(OperationsAlert.Kind.allCases.map(\.rawValue))) }
    }

    @Test func transferStatusesAreTheCodes() throws {
        let lists = Self.enums(holding: TransferStatus.pendingSCA.rawValue, in: try Self.document())
            .filter { $0.contains(TransferStatus.refunded.rawValue) }
        #expect(!lists.isEmpty)
        for list in lists { #expect(list == Set(TransferStatus.allCases.map(\.rawValue))) }
    }

    @Test func reconciliationFindingProblemsAreTheCodes() throws {
        let lists = Self.enums(holding: ReconciliationFinding.Problem.bankPaymentUnknown.rawValue, in: try Self.document())
        #expect(!lists.isEmpty)
        for list in lists { #expect(list == Set(ReconciliationFinding.Problem.allCases.map(\.rawValue))) }
    }
}
