import DropSandbox
import NIOConcurrencyHelpers

/// The sandboxes one development (or test) server mounted, and the switches that make them
/// misbehave: for tests and demos to reach behind the HTTP API. Nothing in DropAPI sees this.
public final class HostedSandboxes: Sendable {
    /// One fault switch per sandbox.
    public let faults = SandboxFaults()
    private let mountedBank = NIOLockedValueBox<BankSandbox?>(nil)
    private let mountedPayout = NIOLockedValueBox<PayoutSandbox?>(nil)
    private let runningMail = NIOLockedValueBox<MailSandbox?>(nil)

    public init() {}

    public var bank: BankSandbox? {
        get { mountedBank.withLockedValue { $0 } }
        set { mountedBank.withLockedValue { $0 = newValue } }
    }

    public var payout: PayoutSandbox? {
        get { mountedPayout.withLockedValue { $0 } }
        set { mountedPayout.withLockedValue { $0 = newValue } }
    }

    /// The SMTP server Drop mails to in development (started by `drop serve` when no `SMTP_URL` is set).
    public var mail: MailSandbox? {
        get { runningMail.withLockedValue { $0 } }
        set { runningMail.withLockedValue { $0 = newValue } }
    }
}

/// One fault switch per sandbox.
public struct SandboxFaults: Sendable {
    public let fx = SandboxFaultControl()
    public let bank = SandboxFaultControl()
    public let sumsub = SandboxFaultControl()
    public let payout = SandboxFaultControl()
}
