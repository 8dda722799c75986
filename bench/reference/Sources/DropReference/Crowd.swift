import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

// drop-reference crowd <url> <users> <seconds> <tokens-file> [bearer|cookie]
//
// A crowd of distinct customers: user i signs in with line i of the tokens file, opens its own
// keep-alive connection i/N of a second into the run and asks once a second from then on. h2load's
// `--rps 1` gives the same arrival, but sends one set of headers, so its whole crowd is one customer
// whose answers stay in memory. Latency is measured from the moment a request is written to the last
// byte of its answer, as h2load does. Prints, in milliseconds:
//
//   <p50> <p99> <failures> <requests> <steady p50> <steady p99> <within target from>
//
// The first two are over the whole run, whose first second is every customer's first visit (nothing of
// theirs in memory yet: a restart under a full crowd); the steady pair leaves out each user's first
// `warmUp` requests. The last is the second of the run from which every second's p99 stays within
// #15's target of 100 ms ("never" if the last second's doesn't): how long a restart's backlog lasts.
// With CROWD_TIMELINE=1 it also writes to stderr, for each second of the run, how
// many requests were sent in it and their p50, p99 and slowest: where a tail sits in time.

enum Crowd {
    /// Requests per user left out of the steady figures: the first visit and the seconds its backlog takes to clear.
    static let warmUp = 5

    struct Plan: Sendable {
        let host: String
        let port: Int
        let path: String
        let users: Int
        let seconds: Int
        let tokens: [String]
        let cookie: Bool

        init(arguments: [String]) throws {
            guard arguments.count >= 4, let url = URL(string: arguments[0]), let host = url.host, let port = url.port,
                  let users = Int(arguments[1]), users > 0, let seconds = Int(arguments[2]), seconds > 0 else {
                throw ReferenceError("usage: drop-reference crowd <http://host:port/path> <users> <seconds> <tokens-file> [bearer|cookie]")
            }
            let tokens = try String(contentsOfFile: arguments[3], encoding: .utf8).split(separator: "\n").map(String.init)
            guard tokens.count >= users else { throw ReferenceError("\(arguments[3]) has \(tokens.count) tokens for \(users) users") }
            self.host = host
            self.port = port
            self.path = url.path.isEmpty ? "/" : url.path
            self.users = users
            self.seconds = seconds
            self.tokens = tokens
            self.cookie = arguments.count > 4 && arguments[4] == "cookie"
        }

        func head(for user: Int) -> HTTPRequestHead {
            var headers = HTTPHeaders([("Host", "\(host):\(port)")])
            if cookie { headers.add(name: "Cookie", value: "drop_token=\(tokens[user])") }
            else { headers.add(name: "Authorization", value: "Bearer \(tokens[user])") }
            return HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        }
    }

    /// What every user measured. Touched only on the crowd's one event loop.
    final class Tally {
        var latencies: [Int64] = []  // nanoseconds
        var steady: [Int64] = []  // those after each user's first `warmUp` requests
        var failures = 0
        /// Latencies by the second of the run their request was sent in (`CROWD_TIMELINE`).
        var bySecond: [[Int64]] = []
        var began = NIODeadline.now()
        var usersLeft: Int
        var over = false
        let done: EventLoopPromise<Void>

        init(users: Int, done: EventLoopPromise<Void>) {
            self.usersLeft = users
            self.done = done
            latencies.reserveCapacity(users * 32)
            steady.reserveCapacity(users * 32)
        }

        func userFinished(unanswered: Int) {
            failures += unanswered
            usersLeft -= 1
            if usersLeft == 0 { end() }
        }

        func end() {
            guard !over else { return }
            over = true
            done.succeed()
        }

        func record(_ latency: Int64, sentAt: NIODeadline) {
            let second = max(0, Int((sentAt - began).nanoseconds / 1_000_000_000))
            while bySecond.count <= second { bySecond.append([]) }
            bySecond[second].append(latency)
        }

        /// The latency at `p` of `sorted` (nearest rank), nil when nothing was measured.
        private func nanoseconds(at p: Double, of sorted: [Int64]) -> Int64? {
            guard !sorted.isEmpty else { return nil }
            return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
        }

        /// In milliseconds: to a hundredth below 10 ms, where tails of a few tenths are compared as
        /// ratios and a tenth would round 0.26 against 0.24 into 0.3 against 0.2; to a tenth above.
        private func percentile(_ p: Double, of sorted: [Int64]) -> String {
            nanoseconds(at: p, of: sorted).map { String(format: $0 < 10_000_000 ? "%.2f" : "%.1f", Double($0) / 1e6) } ?? "-"
        }

        /// A line per second of the run: "second requests p50 p99 max", in milliseconds.
        func timeline() -> String {
            bySecond.enumerated().map { second, latencies in
                let sorted = latencies.sorted()
                return "\(second) \(sorted.count) \(percentile(0.50, of: sorted)) \(percentile(0.99, of: sorted)) \(percentile(1, of: sorted))"
            }.joined(separator: "\n")
        }

        /// The first second from which every second's p99 is at most `target` nanoseconds.
        func withinTarget(_ target: Int64 = 100_000_000) -> String {
            var from = bySecond.count
            for second in bySecond.indices.reversed() {
                guard let p99 = nanoseconds(at: 0.99, of: bySecond[second].sorted()), p99 <= target else { break }
                from = second
            }
            return from == bySecond.count ? "never" : String(from)
        }

        /// "p50 p99 failures requests steady-p50 steady-p99 within-target-from", in milliseconds (the last in seconds).
        func summary() -> String {
            let all = latencies.sorted(), later = steady.sorted()
            // A user still waiting when the run ended counts as one failure.
            let failed = failures + usersLeft
            return "\(percentile(0.50, of: all)) \(percentile(0.99, of: all)) \(failed) \(all.count + failed) "
                + "\(percentile(0.50, of: later)) \(percentile(0.99, of: later)) \(withinTarget())"
        }
    }

    /// One customer: a request a second on its own connection, the next one due a second after the
    /// last was due (sent at once if the answer came later than that).
    final class User: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        typealias OutboundOut = HTTPClientRequestPart

        let head: HTTPRequestHead
        let start: NIODeadline
        let requests: Int
        let tally: Tally
        var sent = 0
        var waiting = false
        var sentAt = NIODeadline.now()
        var status: HTTPResponseStatus = .ok
        var finished = false

        init(head: HTTPRequestHead, start: NIODeadline, requests: Int, tally: Tally) {
            self.head = head
            self.start = start
            self.requests = requests
            self.tally = tally
        }

        func channelActive(context: ChannelHandlerContext) { send(context: context) }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let response): status = response.status
            case .body: break
            case .end:
                waiting = false
                let elapsed = NIODeadline.now() - sentAt
                if (200..<400).contains(Int(status.code)) {
                    tally.latencies.append(elapsed.nanoseconds)
                    tally.record(elapsed.nanoseconds, sentAt: sentAt)
                    if sent > Crowd.warmUp { tally.steady.append(elapsed.nanoseconds) }
                } else {
                    tally.failures += 1
                }
                guard sent < requests else { return finish(context: context, unanswered: 0) }
                let due = start + .seconds(Int64(sent))
                if due <= .now() { send(context: context); return }
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { self.send(context: loopBound.value) }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) { finish(context: context, unanswered: unanswered) }
        func channelInactive(context: ChannelHandlerContext) { finish(context: context, unanswered: unanswered) }

        /// The request in flight, if any, and those not sent yet.
        private var unanswered: Int { requests - sent + (waiting ? 1 : 0) }

        private func send(context: ChannelHandlerContext) {
            sent += 1
            waiting = true
            sentAt = .now()
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }

        /// A user whose last answer came keeps their connection open until the run ends (the event loop's
        /// shutdown closes them all): every user started in the same second, so they would all hang up in
        /// the last one, and the server tearing down 3,000 connections then was measured as that second's tail.
        private func finish(context: ChannelHandlerContext, unanswered: Int) {
            guard !finished else { return }
            finished = true
            tally.userFinished(unanswered: unanswered)
            if unanswered > 0 { context.close(promise: nil) }
        }
    }

    static func run(arguments: [String]) async throws {
        let plan = try Plan(arguments: arguments)
        // One thread, as bench/run gives h2load (-t1): the generator's share of the two cores stays the same.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let done = loop.makePromise(of: Void.self)
        let boxedTally = try await loop.submit { NIOLoopBound(Tally(users: plan.users, done: done), eventLoop: loop) }.get()
        let begin = NIODeadline.now() + .milliseconds(100)
        try await loop.submit { boxedTally.value.began = begin }.get()
        let spacing = Int64(1_000_000_000 / plan.users)
        try await loop.submit {
            for user in 0..<plan.users {
                let start = begin + .nanoseconds(spacing * Int64(user))
                loop.assumeIsolated().scheduleTask(deadline: start) {
                    connect(user: user, plan: plan, start: start, tally: boxedTally.value, on: loop)
                }
            }
        }.get()
        // Every user's last request is due `seconds` after its start; a stuck one is a failure, not a hang.
        let deadline = loop.scheduleTask(in: .seconds(Int64(plan.seconds) + 15)) { boxedTally.value.end() }
        try await done.futureResult.get()
        deadline.cancel()
        let summary = try await loop.submit { boxedTally.value.summary() }.get()
        print(summary)
        if ProcessInfo.processInfo.environment["CROWD_TIMELINE"] == "1" {
            let timeline = try await loop.submit { boxedTally.value.timeline() }.get()
            FileHandle.standardError.write(Data((timeline + "\n").utf8))
        }
        try await group.shutdownGracefully()
    }

    private static func connect(user: Int, plan: Plan, start: NIODeadline, tally: Tally, on loop: any EventLoop) {
        let handler = NIOLoopBound(User(head: plan.head(for: user), start: start, requests: plan.seconds, tally: tally), eventLoop: loop)
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(handler.value)
                }
            }
            .connect(host: plan.host, port: plan.port)
            .assumeIsolated()
            .whenFailure { _ in handler.value.tally.userFinished(unanswered: plan.seconds) }
    }
}
