import DropAPI
import Foundation
import Logging

/// Shared start-up for every command: configuration from the environment, JSON logs.
enum Bootstrap {
    static func config() -> AppConfig {
        do {
            return try AppConfig.load()
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(1)
        }
    }

    static func logging(_ config: AppConfig) -> Logger {
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: config.logLevel) }
        return Logger(label: "drop")
    }
}
