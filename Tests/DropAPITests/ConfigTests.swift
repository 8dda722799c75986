import DropAPI
import DropStore
import Foundation
import Testing

@Suite("Configuration")
struct ConfigTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drop-tests/config-\(UUID().uuidString)").path

    @Test func developmentNeedsNothingAndKeepsItsSecrets() throws {
        let first = try AppConfig.load(environment: ["DROP_DATA_DIR": directory], workingDirectory: "/srv/drop")
        #expect(first.environment == .development)
        #expect(first.port == 8080)
        #expect(first.database == .sqlite(path: "/srv/drop/data/drop.db"))
        #expect(first.sandboxesEnabled)
        #expect(first.secrets.jwtSecret.count >= 32)
        let second = try AppConfig.load(environment: ["DROP_DATA_DIR": directory])
        #expect(second.secrets.jwtSecret == first.secrets.jwtSecret)
        #expect(second.secrets.pidPepper == first.secrets.pidPepper)
        #expect(second.secrets.pidPepper != first.secrets.jwtSecret)
    }

    @Test func productionRefusesDevelopmentShortcuts() throws {
        do {
            _ = try AppConfig.load(environment: ["DROP_ENV": "production", "DROP_DATA_DIR": directory, "JWT_SECRET": "dev-abc"])
            Issue.record("production started with development settings")
        } catch let error as ConfigError {
            let text = error.description
            #expect(text.contains("SQLite"))
            #expect(text.contains("JWT_SECRET is a development secret"))
            #expect(text.contains("PID_PEPPER is not set"))
            #expect(text.contains("PID_ENCRYPTION_KEY is not set"))
            #expect(text.contains("PUBLIC_BASE_URL"))
            #expect(text.contains("BANKID_ISSUER"))
        }
        do {
            _ = try AppConfig.load(environment: Self.production.merging(["DROP_SANDBOXES": "on"]) { $1 })
            Issue.record("production started with sandboxes")
        } catch let error as ConfigError {
            #expect(error.problems == ["DROP_SANDBOXES is on; the simulated providers must never run in production"])
        }
        do {
            _ = try AppConfig.load(environment: Self.production.merging(["FX_FEED_URL": "http://localhost:8080/sandbox/fx"]) { $1 })
            Issue.record("production started against a sandbox")
        } catch let error as ConfigError {
            #expect(error.problems.count == 1 && error.problems[0].contains("FX_FEED_URL"))
        }
    }

    @Test func productionStartsWithRealSettings() throws {
        let config = try AppConfig.load(environment: Self.production)
        #expect(config.isProduction && !config.sandboxesEnabled)
        #expect(config.host == "0.0.0.0")
    }

    @Test func productionNeedsALongPidEncryptionKey() {
        do {
            _ = try AppConfig.load(environment: Self.production.merging(["PID_ENCRYPTION_KEY": "short"]) { $1 })
            Issue.record("production started with a short PID_ENCRYPTION_KEY")
        } catch let error as ConfigError {
            #expect(error.problems == ["PID_ENCRYPTION_KEY must be at least 32 bytes"])
        } catch {
            Issue.record("\(error)")
        }
    }

    /// Development signs anyone in at the sandbox BankID: it refuses to face anyone but this machine.
    @Test func developmentRefusesToBeReachable() throws {
        for (env, named) in [(["HOST": "0.0.0.0"], "HOST"), (["HOST": "192.0.2.10"], "HOST"), (["HOST": "::"], "HOST"),
                             (["PUBLIC_BASE_URL": "https://drop.example"], "PUBLIC_BASE_URL")] {
            do {
                _ = try AppConfig.load(environment: env.merging(["DROP_DATA_DIR": directory]) { $1 })
                Issue.record("development started with \(env)")
            } catch let error as ConfigError {
                #expect(error.problems.count == 1 && error.problems[0].hasPrefix(named) && error.problems[0].contains("DROP_ENV=production"))
            }
        }
        for host in ["127.0.0.1", "localhost", "::1", "127.0.1.1"] {
            #expect(try AppConfig.load(environment: ["HOST": host, "DROP_DATA_DIR": directory]).host == host)
        }
        // The test environment binds where the harness says (its own sandboxes, no admin by sign-in).
        #expect(try AppConfig.load(environment: ["DROP_ENV": "test", "HOST": "0.0.0.0", "DROP_DATA_DIR": directory]).host == "0.0.0.0")
    }

    @Test func productionNeedsAMetricsToken() throws {
        do {
            _ = try AppConfig.load(environment: Self.production.merging(["METRICS_TOKEN": ""]) { $1 })
            Issue.record("production started with open metrics")
        } catch let error as ConfigError {
            #expect(error.problems.count == 1 && error.problems[0].hasPrefix("METRICS_TOKEN"))
        }
        #expect(try AppConfig.load(environment: Self.production).metricsToken == String(repeating: "k", count: 40) + "6")
        #expect(try AppConfig.load(environment: ["DROP_DATA_DIR": directory]).metricsToken == nil)
    }

    @Test func trustedProxiesAreCIDRs() throws {
        let config = try AppConfig.load(environment: ["DROP_DATA_DIR": directory, "TRUST_FORWARDED_FOR": "true",
                                                      "TRUSTED_PROXIES": "10.0.0.0/8, fd00::/8,192.0.2.7"])
        #expect(config.trustForwardedFor && config.trustedProxies.map(\.description) == ["10.0.0.0/8", "fd00::/8", "192.0.2.7/32"])
        #expect(try AppConfig.load(environment: ["DROP_DATA_DIR": directory]).trustedProxies.map(\.description) == ["127.0.0.0/8", "::1/128"])
        do {
            _ = try AppConfig.load(environment: ["DROP_DATA_DIR": directory, "TRUSTED_PROXIES": "10.0.0.0/33,proxy.internal"])
            Issue.record("bad TRUSTED_PROXIES accepted")
        } catch let error as ConfigError {
            #expect(error.problems.count == 1 && error.problems[0].contains("10.0.0.0/33, proxy.internal"))
        }
    }

    @Test func badValuesAreNamed() {
        #expect(throws: ConfigError.self) { try AppConfig.load(environment: ["DROP_ENV": "staging", "DROP_DATA_DIR": directory]) }
        #expect(throws: ConfigError.self) { try AppConfig.load(environment: ["PORT": "eighty", "DROP_DATA_DIR": directory]) }
        #expect(throws: ConfigError.self) { try AppConfig.load(environment: ["DATABASE_URL": "mysql://x", "DROP_DATA_DIR": directory]) }
    }

    static let production: [String: String] = {
        let secret = String(repeating: "k", count: 40)
        return [
            "DROP_ENV": "production", "DATABASE_URL": "postgres://drop:pw@db:5432/drop", "PUBLIC_BASE_URL": "https://drop.no",
            "JWT_SECRET": secret + "1", "PID_PEPPER": secret + "2", "OPENBANKING_WEBHOOK_SECRET": secret + "3",
            "SUMSUB_WEBHOOK_SECRET": secret + "4", "PAYMENT_LINK_SECRET": secret + "5",
            "PID_ENCRYPTION_KEY": secret + "6",
            "BANKID_ISSUER": "https://auth.bankid.no/auth/realms/prod", "BANKID_CLIENT_ID": "drop", "BANKID_CLIENT_SECRET": secret,
            "OPENBANKING_BASE_URL": "https://psd2.example-bank.no", "OPENBANKING_CLIENT_ID": "drop", "OPENBANKING_CLIENT_SECRET": secret,
            "SUMSUB_BASE_URL": "https://api.sumsub.com",
            "SUMSUB_APP_TOKEN": "prd:token", "SUMSUB_SECRET_KEY": secret, "PAYOUT_BASE_URL": "https://payout.example-bank.no", "PAYOUT_CLIENT_ID": "drop", "PAYOUT_CLIENT_SECRET": secret,
            "FX_FEED_URL": "https://data.norges-bank.no", "METRICS_TOKEN": secret + "6",
        ]
    }()
}
