import ArgumentParser

/// The `drop` command: `serve` (the default) runs everything; the others are for operators.
@main
struct Drop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Drop: send money abroad and take QR payments, straight from your own bank account.",
        subcommands: [Serve.self, Migrate.self, Worker.self, Seed.self, PayoutExport.self, Admin.self, Config.self, Probe.self],
        defaultSubcommand: Serve.self
    )
}
