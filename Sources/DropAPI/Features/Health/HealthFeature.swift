import DropCore
import DropStore
import Hummingbird

/// `/health` (the process is alive), `/ready` (the database answers and its schema is current),
/// `/metrics` (Prometheus).
struct HealthFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let migrator = Migrator()
        // The answer never changes: written once, not encoded per request (a load balancer asks often).
        let alive = ByteBuffer(string: #"{"status":"ok"}"#)
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: alive))
        }
        router.get("/ready") { _, _ in
            guard await services.database.ping() else {
                throw AppError(.serviceUnavailable, code: "NOT_READY", message: "The database does not answer.",
                               details: [ErrorDetail(field: "database", issue: "unreachable")], headers: [.retryAfter: "5"])
            }
            let pending = (try? await migrator.pending(services.database)) ?? migrator.migrations.map(\.version)
            guard pending.isEmpty else {
                throw AppError(.serviceUnavailable, code: "NOT_READY", message: "Database migrations are behind; run `drop migrate`.",
                               details: pending.map { ErrorDetail(field: "migrations", issue: "pending", message: "version \($0)") },
                               headers: [.retryAfter: "5"])
            }
            return try JSON.response(Readiness(status: "ready", database: services.database.dialect.rawValue,
                                               schemaVersion: migrator.migrations.map(\.version).max() ?? 0))
        }
        router.get("/metrics") { request, _ in
            // Counts and route names help an attacker map the service: behind a token when one is set.
            if let token = services.config.metricsToken {
                let sent = request.headers[.authorization] ?? ""
                guard sent.hasPrefix("Bearer "), ConstantTime.equal(String(sent.dropFirst(7)), token) else {
                    throw AppError(.unauthorized, code: "UNAUTHENTICATED", message: "/metrics needs Authorization: Bearer <METRICS_TOKEN>.",
                                   headers: [.wwwAuthenticate: "Bearer"])
                }
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: services.metrics.exposition())))
        }
    }
}

struct Readiness: Encodable {
    let status: String
    let database: String
    let schemaVersion: Int
}
