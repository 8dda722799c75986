import Foundation
import Testing

/// SQL lives in DropStore (issue 18): the HTTP and web layers reach the database only through its
/// repositories, so none of their files may import SQLKit.
@Suite("Store boundary")
struct StoreBoundaryTests {
    static let guardedModules = ["DropAPI", "DropWeb"]

    @Test func apiAndWebDoNotImportSQLKit() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        var checked = 0
        for module in Self.guardedModules {
            let root = sources.appendingPathComponent(module)
            let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.allObjects as? [URL])
            for file in files where file.pathExtension == "swift" {
                checked += 1
                let text = try String(contentsOf: file, encoding: .utf8)
                let imports = text.split(separator: "\n").contains { line in
                    // `import SQLKit`, `@preconcurrency import SQLKit`, `import struct SQLKit.SQLRow`, …
                    let words = line.split(separator: " ")
                    return words.contains("import") && words.last?.split(separator: ".").first == "SQLKit"
                }
                #expect(!imports, "\(module)/\(file.path.dropFirst(root.path.count + 1)) imports SQLKit; put its queries in a DropStore repository")
            }
        }
        // A wrong path would find nothing and pass silently.
        #expect(checked > 50)
    }
}
