import DropStore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// Keeps newest pages read from their rows in the database (ADR 0023), off the request's path and many to a
/// statement. A restart whose customers' lists have all changed reads every page from its rows; keeping each with a
/// statement of its own, answered before the page was sent, had doubled that restart's tail
/// (bench/README.md, "The newest page kept in the database").
///
/// A service of the application: it writes while the server runs and writes what still waits when the server shuts
/// down, before the database is closed. Only a cache's writer: a page not kept costs the next process a read of its
/// rows, nothing else. So a page handed over while more than `maxBytes` wait is dropped, and one that fails to be
/// written is logged and forgotten.
final class NewestPageKeeper: Service, Sendable {
    private struct State {
        /// The newest page handed over for each customer, not yet written, with the number it was read under.
        var waiting: [String: (version: Int64, json: ByteBuffer)] = [:]
        var bytes = 0
        /// Pages taken to be written and not yet done.
        var writing = 0
        /// Writers waiting for pages, and whether pages came while none waited.
        var wakes: [CheckedContinuation<Void, Never>] = []
        var woken = false
        var stopping = false
        var idle: [CheckedContinuation<Void, Never>] = []

        var isIdle: Bool { waiting.isEmpty && writing == 0 }
    }

    private let state = NIOLockedValueBox(State())
    let database: Database
    /// `TransactionService.keptPageFormat`.
    let format: String
    let maxBytes: Int
    let pagesPerStatement: Int
    let logger: Logger

    init(database: Database, format: String, maxBytes: Int = 32 << 20, pagesPerStatement: Int = 64, logger: Logger) {
        self.database = database
        self.format = format
        self.maxBytes = maxBytes
        self.pagesPerStatement = max(1, pagesPerStatement)
        self.logger = logger
    }

    /// Hands over `json`, read from its rows after the customer's number was read as `version`, to be kept.
    func keep(_ json: ByteBuffer, userId: String, version: Int64) {
        let wakes = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            if let earlier = state.waiting[userId] {
                guard earlier.version < version else { return [] }
                state.bytes -= earlier.json.readableBytes
            }
            guard state.bytes + json.readableBytes <= maxBytes else { return [] }
            state.waiting[userId] = (version, json)
            state.bytes += json.readableBytes
            state.woken = true
            defer { state.wakes = [] }
            return state.wakes
        }
        for wake in wakes { wake.resume() }
    }

    /// Writes pages as they come until the server shuts down, then what still waits.
    func run() async {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                while await pagesCame() { await writeWaiting() }
            } onCancel: {
                self.stop()
            }
        } onGracefulShutdown: {
            self.stop()
        }
        await writeWaiting()
    }

    /// Returns once every page handed over so far is written or given up (tests).
    func idle() async {
        await withCheckedContinuation { continuation in
            let now = state.withLockedValue { state -> Bool in
                guard !state.isIdle else { return true }
                state.idle.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Waits for pages; false once the server is shutting down.
    private func pagesCame() async -> Bool {
        await withCheckedContinuation { continuation in
            let now = state.withLockedValue { state -> Bool in
                guard !state.woken, !state.stopping else { return true }
                state.wakes.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        return state.withLockedValue { state in
            state.woken = false
            return !state.stopping
        }
    }

    private func stop() {
        let wakes = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.stopping = true
            defer { state.wakes = [] }
            return state.wakes
        }
        for wake in wakes { wake.resume() }
    }

    /// Writes what waits, `pagesPerStatement` at a time, until nothing does.
    private func writeWaiting() async {
        while let pages = next() {
            do {
                try await KeptNewestPage.keep(pages, format: format, in: database)
            } catch {
                logger.warning("Newest pages were not kept in the database",
                               metadata: ["pages": "\(pages.count)", "error": "\(String(reflecting: type(of: error)))"])
            }
            done(pages.count)
        }
    }

    /// The next pages to write; nil when none wait. Their text is made here, off the requests' path.
    private func next() -> [KeptNewestPage.Keeping]? {
        let taken = state.withLockedValue { state -> [(userId: String, version: Int64, json: ByteBuffer)]? in
            guard !state.waiting.isEmpty else { return nil }
            let taken = state.waiting.prefix(pagesPerStatement).map { (userId: $0.key, version: $0.value.version, json: $0.value.json) }
            for page in taken {
                state.waiting[page.userId] = nil
                state.bytes -= page.json.readableBytes
            }
            state.writing += taken.count
            return taken
        }
        return taken?.map { KeptNewestPage.Keeping(userId: $0.userId, version: $0.version, json: String(buffer: $0.json)) }
    }

    private func done(_ count: Int) {
        let idle = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.writing -= count
            guard state.isIdle else { return [] }
            defer { state.idle = [] }
            return state.idle
        }
        for continuation in idle { continuation.resume() }
    }
}
