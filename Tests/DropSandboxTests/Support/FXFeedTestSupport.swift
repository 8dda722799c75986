import DropSandbox
import Foundation
import Hummingbird
import HummingbirdTesting

/// Builds the FX sandbox mounted where Drop mounts it, with "now" fixed.
struct FXFeedHarness {
    let faults: SandboxFaultControl
    let app: Application<RouterResponder<BasicRequestContext>>

    init(now: Date, faults: SandboxFaultControl = SandboxFaultControl()) {
        self.init(now: { now }, faults: faults)
    }

    init(now: @escaping @Sendable () -> Date, faults: SandboxFaultControl = SandboxFaultControl()) {
        self.faults = faults
        let router = Router()
        FXFeedSandbox(now: now, faults: faults).addRoutes(to: router.group("sandbox/fx"))
        app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

/// A UTC instant from "2026-11-21T12:00:00Z".
func utcInstant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test date \(text)") }
    return date
}

extension TestResponse {
    var csvText: String { String(decoding: body.readableBytesView, as: UTF8.self) }
}
