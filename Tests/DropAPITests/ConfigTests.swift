import DropAPI
import DropKit
import DropStore
import DropTestTools
import Foundation
import Testing

@Suite("Configuration")
struct ConfigTests {
    let directory = TestScratch.path("config")

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
        // Credentials and personal data go to the providers over TLS only, and a Sumsub sandbox token is not a live one.
        for (name, value) in [("BANKID_ISSUER", "http://auth.bankid.no/auth/realms/prod"), ("OPENBANKING_BASE_URL", "http://psd2.example-bank.no"),
                              ("SUMSUB_BASE_URL", "http://api.sumsub.com"), ("PAYOUT_BASE_URL", "http://payout.example-bank.no"),
                              ("FX_FEED_URL", "http://data.norges-bank.no"), ("SUMSUB_APP_TOKEN", "sbx:token")] {
            do {
                _ = try AppConfig.load(environment: Self.production.merging([name: value]) { $1 })
                Issue.record("production started with \(name)=\(value)")
            } catch let error as ConfigError {
                #expect(error.problems.count == 1 && error.problems[0].hasPrefix(name), "\(error.problems)")
            }
        }
    }

    /// Every remittance and standing order asks the customer's bank to pay into the collection account: production
    /// names the partner's own, never the sandbox's (a real, checksum-valid number).
    @Test func productionNeedsThePayoutPartnersCollectionAccount() throws {
        Self.expectProductionRefusesToStart(without: ["PAYOUT_COLLECTION_ACCOUNT", "PAYOUT_COLLECTION_NAME", "PAYOUT_PARTNER_BIC"])
        // A test-and-training BIC (eighth character 0) routes no real money.
        for (name, development) in [("PAYOUT_COLLECTION_ACCOUNT", "1503.00.10008"), ("PAYOUT_PARTNER_BIC", "PARTNOKK"), ("PAYOUT_PARTNER_BIC", "DNBANOK0")] {
            #expect(throws: ConfigError.self) { try AppConfig.load(environment: Self.production.merging([name: development]) { $1 }) }
        }
        // Taken as banks take them.
        let providers = try AppConfig.load(environment: Self.production).providers
        #expect(providers.payoutCollectionAccount == "86011117947" && providers.payoutPartnerBIC == "DNBANOKK")
    }

    /// In any environment: a mistyped account or BIC is named at start, not found at the first customer's payment.
    @Test func aCollectionAccountOrBICBanksWouldRefuseIsNamed() throws {
        for (env, named) in [(["PAYOUT_COLLECTION_ACCOUNT": "1234"], "PAYOUT_COLLECTION_ACCOUNT"),
                             (["PAYOUT_COLLECTION_ACCOUNT": "86011117946"], "PAYOUT_COLLECTION_ACCOUNT"),
                             (["PAYOUT_PARTNER_BIC": "PART"], "PAYOUT_PARTNER_BIC"), (["PAYOUT_PARTNER_BIC": "PARTXXKK"], "PAYOUT_PARTNER_BIC")] {
            for environment in ["development", "test", "production"] {
                let base = environment == "production" ? Self.production : ["DROP_ENV": environment, "DROP_DATA_DIR": directory]
                do {
                    _ = try AppConfig.load(environment: base.merging(env) { $1 })
                    Issue.record("\(environment) started with \(env)")
                } catch let error as ConfigError {
                    #expect(error.problems.count == 1 && error.problems[0].hasPrefix(named), "\(error.problems)")
                }
            }
        }
        // Development keeps the sandbox's account, which the payout sandbox knows.
        let development = try AppConfig.load(environment: ["DROP_DATA_DIR": directory]).providers
        #expect(development.payoutCollectionAccount == "15030010008" && development.payoutPartnerBIC == "PARTNOKK")
    }

    /// Every suspicious transaction report names Drop to the FIU: production names it for real, never the
    /// development placeholder (id 0, organisation number 000000000), and any environment refuses a number that isn't one.
    @Test func productionNamesDropToTheFIU() throws {
        Self.expectProductionRefusesToStart(without: ["FIU_REPORTING_ENTITY_ID", "DROP_ORGANISATION_NUMBER"])
        for (name, value) in [("FIU_REPORTING_ENTITY_ID", "0"), ("FIU_REPORTING_ENTITY_ID", "47 11"), ("DROP_ORGANISATION_NUMBER", "000000000"),
                              ("DROP_ORGANISATION_NUMBER", "923609017")] {
            for base in [Self.production, ["DROP_DATA_DIR": directory]] {
                #expect(throws: ConfigError.self, "\(name)=\(value)") { try AppConfig.load(environment: base.merging([name: value]) { $1 }) }
            }
        }
        let production = try AppConfig.load(environment: Self.production.merging(["DROP_LEGAL_NAME": "Drop Payments AS"]) { $1 }).reportingEntity
        #expect(production.id == "4711" && production.organisationNumber == "923609016" && production.name == "Drop Payments AS")
        let development = try AppConfig.load(environment: ["DROP_DATA_DIR": directory]).reportingEntity
        #expect(development.id == "0" && development.name.contains("development"))
    }

    /// Production without each of `names` (all else set) refuses to start, naming that one alone.
    static func expectProductionRefusesToStart(without names: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for name in names {
            var env = Self.production
            env[name] = nil
            do {
                _ = try AppConfig.load(environment: env)
                Issue.record("production started without \(name)", sourceLocation: sourceLocation)
            } catch let error as ConfigError {
                #expect(error.problems.count == 1 && error.problems[0].hasPrefix(name), "\(error.problems)", sourceLocation: sourceLocation)
            } catch {
                Issue.record(error, sourceLocation: sourceLocation)
            }
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
    }

    /// Whatever the environment, while sign-in is the sandbox BankID (anyone as anyone, Anders as admin) Drop
    /// faces only this machine; with a real BankID the test environment binds where the harness says.
    @Test func theSandboxBankIDIsNeverReachable() throws {
        let test = ["DROP_ENV": "test", "DROP_DATA_DIR": directory]
        for (env, named) in [(["HOST": "0.0.0.0"], "HOST"), (["HOST": "192.0.2.10"], "HOST"),
                             (["HOST": "0.0.0.0", "DROP_SANDBOXES": "off"], "HOST"),
                             (["HOST": "0.0.0.0", "BANKID_ISSUER": "http://10.0.0.5:8080/sandbox/bankid"], "HOST"),
                             (["PUBLIC_BASE_URL": "https://drop-test.example"], "PUBLIC_BASE_URL")] {
            do {
                _ = try AppConfig.load(environment: test.merging(env) { $1 })
                Issue.record("the test environment started with \(env) and the sandbox BankID")
            } catch let error as ConfigError {
                #expect(error.problems.count == 1 && error.problems[0].hasPrefix(named) && error.problems[0].contains("BANKID_ISSUER"), "\(error.problems)")
            }
        }
        #expect(try AppConfig.load(environment: test.merging(["HOST": "127.0.0.1"]) { $1 }).signsInAtSandboxBankID)
        let real = try AppConfig.load(environment: test.merging(["HOST": "0.0.0.0", "BANKID_ISSUER": Self.preproductionBankID]) { $1 })
        #expect(real.host == "0.0.0.0" && !real.signsInAtSandboxBankID)
        #expect(!(try AppConfig.load(environment: Self.production)).signsInAtSandboxBankID)
    }

    /// Anders Admin is admin by his sandbox number only while sign-in is the sandbox BankID: at a real
    /// BankID that number could be anyone's.
    @Test func theSandboxAdminIsAdminOnlyAtTheSandboxBankID() async throws {
        for (issuer, role) in [(nil, DropKit.Role.admin), (Self.preproductionBankID, .user)] as [(String?, DropKit.Role)] {
            try await RouterApp.test(environment: issuer.map { ["BANKID_ISSUER": $0] } ?? [:]) { app in
                // Nor is he seeded as admin before his first sign-in.
                #expect(try await DemoData.seed(app.services).contains("admin user (Anders Admin)") == (issuer == nil))
                let auth = try await app.bearer("04047510142")
                let me = try await app.get("/v1/auth/me", auth).decode(DropKit.User.self)
                #expect(me.role == role, "\(issuer ?? "sandbox")")
            }
        }
    }

    static let preproductionBankID = "https://auth.current.bankid.no/auth/realms/current"

    @Test func productionNeedsAMailServerAndASender() throws {
        for (change, problem) in [(["SMTP_URL": ""], "SMTP_URL must be set"), (["EMAIL_FROM": ""], "EMAIL_FROM must be set"),
                                  (["EMAIL_FROM": "Drop"], "EMAIL_FROM must be an address"),
                                  (["SMTP_URL": "smtp://smtp.example.no?tls=none"], "SMTP_URL: ?tls=none is allowed only"),
                                  (["SMTP_URL": "smtp://smtp.example.no?ca_file=/nonexistent.pem"], "SMTP_URL: ca_file /nonexistent.pem can't be read")] {
            do {
                _ = try AppConfig.load(environment: Self.production.merging(change) { $1 })
                Issue.record("production started with \(change)")
            } catch let error as ConfigError {
                #expect(error.problems.count == 1 && error.problems[0].hasPrefix(problem), "\(error.problems)")
            }
        }
        let email = try #require(try AppConfig.load(environment: Self.production).email)
        #expect(email.smtp.host == "smtp.example.no" && email.smtp.security == .startTLS && email.from.name == "Drop")
        #expect(email.from.address.value == "no-reply@drop.no")
        // Development sends nothing unless told where to.
        #expect(try AppConfig.load(environment: ["DROP_DATA_DIR": directory]).email == nil)
        // `drop config check` masks the password.
        #expect(ConfigReport.maskingPassword("smtp://drop:s3cret@smtp.example.no:587") == "smtp://drop:***@smtp.example.no:587")
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

    /// Every number setting is checked against its range, and each one out of range is named at once.
    @Test func numbersOutsideTheirRangeAreNamedTogether() throws {
        let env = ["DROP_DATA_DIR": directory, "PAYOUT_INTERVAL_SECONDS": "0", "SANDBOX_PAYOUT_SETTLEMENT_SECONDS": "soon",
                   "JOB_LEASE_SECONDS": "4", "DATABASE_POOL_SIZE": "513", "IDEMPOTENCY_LEASE_SECONDS": "1",
                   "TRANSACTION_LIST_CACHE_MIB": "4"]
        do {
            _ = try AppConfig.load(environment: env)
            Issue.record("out-of-range numbers were accepted")
        } catch let error as ConfigError {
            #expect(error.problems.sorted() == [
                "DATABASE_POOL_SIZE must be a number of connections between 1 and 512 (got 513)",
                "IDEMPOTENCY_LEASE_SECONDS must be a number of seconds between 4 and 600 (got 1)",
                "JOB_LEASE_SECONDS must be a number of seconds between 5 and 3600 (got 4)",
                "PAYOUT_INTERVAL_SECONDS must be a number of seconds between 1 and 3600 (got 0)",
                "SANDBOX_PAYOUT_SETTLEMENT_SECONDS must be a number of seconds between 0 and 3600 (got soon)",
                "TRANSACTION_LIST_CACHE_MIB must be a number of MiB between 8 and 65536 (got 4)",
            ])
        }
        let config = try AppConfig.load(environment: ["DROP_DATA_DIR": directory, "PAYOUT_INTERVAL_SECONDS": "5", "SANDBOX_PAYOUT_SETTLEMENT_SECONDS": "0",
                                                      "IDEMPOTENCY_LEASE_SECONDS": "4", "TRANSACTION_LIST_CACHE_MIB": "512"])
        #expect(config.payoutInterval == 5 && config.payoutSandboxSettlement == .zero && config.idempotencyLease == 4)
        #expect(config.transactionListCacheMiB == 512)
        let defaults = try AppConfig.load(environment: ["DROP_DATA_DIR": directory])
        #expect(defaults.payoutInterval == 30 && defaults.payoutSandboxSettlement == .seconds(30) && defaults.jobLease == 60 && defaults.idempotencyLease == 20)
        #expect(!defaults.bankSandboxStateInMemory)
        #expect(defaults.transactionListCacheMiB == 128)
        #expect(try AppConfig.load(environment: ["DROP_DATA_DIR": directory, "SANDBOX_BANK_STATE": "memory"]).bankSandboxStateInMemory)
        #expect(throws: ConfigError.self) { try AppConfig.load(environment: ["DROP_DATA_DIR": directory, "SANDBOX_BANK_STATE": "ram"]) }
    }

    /// `drop` reads it before anything else runs (ADR 0016); `load` still names a value it doesn't know.
    @Test func asyncWorkRunsOnTheEventLoopsUnlessTurnedOff() throws {
        #expect(AppConfig.tasksRunOnEventLoops([:]))
        #expect(AppConfig.tasksRunOnEventLoops(["CONCURRENCY_ON_EVENT_LOOPS": "on"]))
        #expect(!AppConfig.tasksRunOnEventLoops(["CONCURRENCY_ON_EVENT_LOOPS": "off"]))
        #expect(try AppConfig.load(environment: ["DROP_DATA_DIR": directory]).tasksRunOnEventLoops)
        #expect(try !AppConfig.load(environment: ["DROP_DATA_DIR": directory, "CONCURRENCY_ON_EVENT_LOOPS": "off"]).tasksRunOnEventLoops)
        do {
            _ = try AppConfig.load(environment: ["DROP_DATA_DIR": directory, "CONCURRENCY_ON_EVENT_LOOPS": "yes"])
            Issue.record("CONCURRENCY_ON_EVENT_LOOPS=yes was accepted")
        } catch let error as ConfigError {
            #expect(error.problems == ["CONCURRENCY_ON_EVENT_LOOPS must be on or off (got yes)"])
        }
    }

    @Test func secretsMayComeFromFiles() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let jwt = String(repeating: "j", count: 48), pepper = String(repeating: "p", count: 40)
        try Data((jwt + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/jwt"))
        try Data((pepper + "\r\n").utf8).write(to: URL(fileURLWithPath: directory + "/pepper"))
        var env = Self.production
        env["JWT_SECRET"] = nil
        env["PID_PEPPER"] = nil
        env["JWT_SECRET_FILE"] = directory + "/jwt"
        env["PID_PEPPER_FILE"] = directory + "/pepper"
        let config = try AppConfig.load(environment: env)
        #expect(config.secrets.jwtSecret == jwt)  // the trailing line break is not part of the value
        #expect(config.secrets.pidPepper == pepper)

        // Both spellings at once, a missing file and an empty one are refused by name, never with a value.
        try Data().write(to: URL(fileURLWithPath: directory + "/empty"))
        env["PID_PEPPER"] = pepper
        env["METRICS_TOKEN"] = nil
        env["METRICS_TOKEN_FILE"] = directory + "/empty"
        env["JWT_SECRET_FILE"] = directory + "/missing"
        do {
            _ = try AppConfig.load(environment: env)
            Issue.record("unreadable secret files accepted")
        } catch let error as ConfigError {
            #expect(error.problems.contains("PID_PEPPER and PID_PEPPER_FILE are both set; set one"))
            #expect(error.problems.contains("JWT_SECRET_FILE: cannot read \(directory)/missing"))
            #expect(error.problems.contains("METRICS_TOKEN_FILE: \(directory)/empty is empty"))
            #expect(!error.description.contains(pepper))
        }
    }

    @Test func previousSecretsAreAcceptedDuringARotationAndCheckedLikeCurrentOnes() throws {
        var env = Self.production
        env["JWT_SECRET_PREVIOUS"] = String(repeating: "p", count: 40)
        let config = try AppConfig.load(environment: env)
        #expect(config.secrets.jwtSecrets == [env["JWT_SECRET"]!, String(repeating: "p", count: 40)])
        #expect(config.secrets.paymentLinkSecrets == [env["PAYMENT_LINK_SECRET"]!])
        env["OPENBANKING_WEBHOOK_SECRET_PREVIOUS"] = "short"
        env["SUMSUB_WEBHOOK_SECRET_PREVIOUS"] = "dev-0123456789abcdef0123456789abcdef"
        do {
            _ = try AppConfig.load(environment: env)
            Issue.record("weak previous secrets accepted")
        } catch let error as ConfigError {
            #expect(error.problems.contains("OPENBANKING_WEBHOOK_SECRET_PREVIOUS must be at least 32 bytes"))
            #expect(error.problems.contains("SUMSUB_WEBHOOK_SECRET_PREVIOUS is a development secret"))
        }
    }

    @Test func configCheckShowsWhereEachSettingComesFromAndNoSecret() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let jwt = String(repeating: "z", count: 64)
        try Data(jwt.utf8).write(to: URL(fileURLWithPath: directory + "/jwt"))
        var env = Self.production
        env["JWT_SECRET"] = nil
        env["JWT_SECRET_FILE"] = directory + "/jwt"
        let ready = ConfigReport(environment: env)
        #expect(ready.problems.isEmpty)
        #expect(ready.text.contains("Drop would start (production)."))
        let lines = Dictionary(uniqueKeysWithValues: ready.lines.map { ($0.name, $0.state) })
        #expect(lines["JWT_SECRET"] == "set from \(directory)/jwt (64 bytes)")
        #expect(lines["DATABASE_URL"] == "postgres://drop:***@db:5432/drop (from the environment)")
        #expect(lines["HOST"] == "not set")
        for (name, value) in env where ConfigCatalog.variable(named: name)?.kind == .secret {
            #expect(!ready.text.contains(value), "\(name) printed")
        }
        #expect(!ready.text.contains(jwt) && !ready.text.contains(":pw@"))

        // A development environment checked as production lists what production still needs.
        let laptop = ConfigReport(environment: ["DROP_DATA_DIR": directory], asProduction: true)
        #expect(laptop.environment == .production)
        #expect(laptop.problems.contains("METRICS_TOKEN must be set: /metrics then answers only Authorization: Bearer <METRICS_TOKEN>"))
        #expect(laptop.text.contains("Drop would refuse to start (production):"))
        #expect(ConfigReport.maskingPassword("postgres://db/drop?user=drop&password=s3cret") == "postgres://db/drop?user=drop&password=***")
    }

    /// The session-change listener may go its own way (a transaction-mode pooler can't carry LISTEN), only on PostgreSQL.
    @Test func theListenerMayConnectElsewhere() throws {
        let direct = "postgres://drop:pw@db-direct:5432/drop"
        let config = try AppConfig.load(environment: Self.production.merging(["DATABASE_LISTEN_URL": direct]) { $1 })
        #expect(config.databaseListenURL == .postgres(url: direct))
        #expect(try AppConfig.load(environment: Self.production).databaseListenURL == nil)
        let report = ConfigReport(environment: Self.production.merging(["DATABASE_LISTEN_URL": direct]) { $1 })
        #expect(Dictionary(uniqueKeysWithValues: report.lines.map { ($0.name, $0.state) })["DATABASE_LISTEN_URL"]
            == "postgres://drop:***@db-direct:5432/drop (from the environment)")
        for (env, problem) in [
            (Self.production.merging(["DATABASE_LISTEN_URL": "sqlite:data/other.db"]) { $1 }, "DATABASE_LISTEN_URL must be a postgres:// URL to the same database as DATABASE_URL"),
            (["DROP_DATA_DIR": directory, "DATABASE_LISTEN_URL": direct], "DATABASE_LISTEN_URL is only for PostgreSQL, but DATABASE_URL points at SQLite"),
        ] {
            do {
                _ = try AppConfig.load(environment: env)
                Issue.record("accepted: \(problem)")
            } catch let error as ConfigError {
                #expect(error.problems == [problem])
            }
        }
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
            "PAYOUT_COLLECTION_ACCOUNT": "8601.11.17947", "PAYOUT_COLLECTION_NAME": "Nordic Payout Partner AS", "PAYOUT_PARTNER_BIC": "dnbanokk",
            "SMTP_URL": "smtp://drop:\(secret)@smtp.example.no:587", "EMAIL_FROM": "Drop <no-reply@drop.no>",
            "FIU_REPORTING_ENTITY_ID": "4711", "DROP_ORGANISATION_NUMBER": "923 609 016",
        ]
    }()
}
