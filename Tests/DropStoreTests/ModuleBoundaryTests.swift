import Foundation
import Testing

/// The module graph's promises that SwiftPM alone can't keep (a target can import what its
/// dependencies depend on): SQL lives in DropStore, DropAPI knows no sandbox, DropCore does no I/O.
/// See docs/architecture.md, "Modules".
@Suite("Module boundaries")
struct ModuleBoundaryTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Every module a Swift file under `module` imports, with the file's path.
    static func imports(of module: String) throws -> [(file: String, module: String)] {
        let root = sources.appendingPathComponent(module)
        let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.allObjects as? [URL])
        return try files.filter { $0.pathExtension == "swift" }.flatMap { file in
            try String(contentsOf: file, encoding: .utf8).split(separator: "\n").compactMap { line -> (String, String)? in
                // `import SQLKit`, `@preconcurrency import SQLKit`, `import struct SQLKit.SQLRow`, …
                let words = line.split(separator: " ")
                guard words.contains("import"), let last = words.last, let imported = last.split(separator: ".").first else { return nil }
                return (module + "/" + file.path.dropFirst(root.path.count + 1), String(imported))
            }
        }
    }

    @Test(arguments: ["DropAPI", "DropWeb"])
    func theHTTPLayersReachTheDatabaseOnlyThroughDropStoreAndKnowNoSandbox(module: String) throws {
        let found = try Self.imports(of: module)
        // A wrong path would find nothing and pass silently.
        #expect(found.count > 20)
        for (file, imported) in found {
            #expect(imported != "SQLKit", "\(file) imports SQLKit; put its queries in a DropStore repository")
            #expect(!imported.hasPrefix("DropSandbox"), "\(file) imports \(imported); sandboxes are mounted by the composition root (DropSandboxHosting)")
        }
    }

    @Test func theDomainDoesNoIO() throws {
        let allowed: Set = ["Foundation", "Crypto"]
        let found = try Self.imports(of: "DropCore")
        #expect(found.count > 10)
        for (file, imported) in found {
            #expect(allowed.contains(imported), "\(file) imports \(imported); DropCore is pure (Foundation and Crypto only)")
        }
    }
}
