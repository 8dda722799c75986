import ArgumentParser
import DropAPI
import Foundation
import NIOCore
import NIOPosix

/// The `drop` command: `serve` (the default) runs everything; the others are for operators.
@main
struct Drop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Drop: send money abroad and take QR payments, straight from your own bank account.",
        subcommands: [Serve.self, Migrate.self, Worker.self, Seed.self, PayoutExport.self, Admin.self, Config.self, IdentityKeys.self, Probe.self],
        defaultSubcommand: Serve.self
    )

    /// Async work runs on NIO's event loops, the threads that read and write the sockets, rather
    /// than being handed to Swift's own thread pool and back for every request and every database
    /// answer (ADR 0016). It has to happen before any task runs, so here, before parsing.
    static func main() async {
        if AppConfig.tasksRunOnEventLoops(ProcessInfo.processInfo.environment) {
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        await main(nil)
    }
}
