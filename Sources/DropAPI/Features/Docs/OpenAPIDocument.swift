import Foundation

/// The API contract as published: `Docs/openapi.json`, shipped inside the binary.
public enum OpenAPIDocument {
    public static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return Data("{}".utf8) }
        return data
    }()

    public struct Operation: Sendable, Hashable {
        public let method: String
        public let path: String
        public let summary: String
        public let tag: String
    }

    /// Every (method, path) the document lists, for the docs page and the route check.
    public static func operations() -> [Operation] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let paths = root["paths"] as? [String: Any] else { return [] }
        var operations: [Operation] = []
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
                guard let operation = item[method] as? [String: Any] else { continue }
                operations.append(Operation(
                    method: method.uppercased(), path: path,
                    summary: operation["summary"] as? String ?? "",
                    tag: (operation["tags"] as? [String])?.first ?? "Other"))
            }
        }
        return operations.sorted { ($0.tag, $0.path, $0.method) < ($1.tag, $1.path, $1.method) }
    }
}
