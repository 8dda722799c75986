import DropStore

/// The demo state of the sandbox persons (docs/api.md, "Sandbox persons"), for development only. Each feature seeds its
/// own part; seeding is idempotent, so running it twice creates nothing new.
public enum DemoData {
    public static func seed(_ services: AppServices, features: [any AppFeature] = apiFeatures) async throws -> [String] {
        precondition(!services.config.isProduction, "demo data never goes into production")
        var created: [String] = []
        for feature in features {
            created += try await feature.seedDemoData(services)
        }
        return created
    }

    /// `drop serve` in development seeds a database that has no users yet.
    public static func seedIfEmpty(_ services: AppServices, features: [any AppFeature] = apiFeatures) async throws {
        let users = try await services.database.withConnection { try await UserRepository.count(on: $0) }
        guard users == 0 else { return }
        let created = try await seed(services, features: features)
        if !created.isEmpty {
            services.logger.info("seeded demo data", metadata: ["created": .string(created.joined(separator: ", "))])
        }
    }
}
