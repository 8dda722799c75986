import DropStore
import SQLKit
import Testing

/// Record decoding maps property names to columns with `SnakeCaseColumns`, a fast copy of SQLKit's
/// own snake-case mapping: it must name exactly the same column for every key, or a record reads NULL.
@Suite struct SnakeCaseColumnsTests {
    /// SQLKit's mapping, observed through its public encoder (the same conversion as its decoder's).
    static func sqlKitColumn(_ key: String) throws -> String {
        try #require(try SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase).encode([key: 1]).first?.0)
    }

    @Test(arguments: ["userId", "id", "pidSHA256", "kycApplicantId", "endToEndId", "payloadSHA256", "URLValue", "a", "aB", "ABC",
                      "isPep", "createdAt", "emailVerifiedAt", "x1Y2", "_private", "trailing_", "already_snake", "HTTPServer2Go"])
    func namesTheSameColumnAsSQLKit(_ key: String) throws {
        #expect(SnakeCaseColumns.column(for: key) == (try Self.sqlKitColumn(key)))
    }

    @Test func agreesWithSQLKitOnManyGeneratedNames() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcxyzABCXYZ019_")
        for _ in 0..<3000 {
            let key = String((0..<Int.random(in: 1...14, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(SnakeCaseColumns.column(for: key) == (try Self.sqlKitColumn(key)), "\(key)")
        }
        for key in ["émailAddress", "straßeName", "ÅrsBeløp"] {
            #expect(SnakeCaseColumns.column(for: key) == (try Self.sqlKitColumn(key)), "\(key)")
        }
    }
}
