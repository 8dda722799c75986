import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A mail server for development: speaks SMTP (RFC 5321) on a loopback port and keeps what it is
/// sent, newest last, for `/sandbox/mail` to show. `drop serve` points Drop's real SMTP client at
/// it when no `SMTP_URL` is set, so the confirmation link and every email can be followed on one
/// laptop. Like a real server it answers each command in order, refuses MAIL before EHLO/HELO,
/// RCPT before MAIL and DATA before RCPT (503), limits a message to 1 MiB (552) and undoes
/// dot-stuffing. It offers no STARTTLS and no AUTH: it listens on loopback only.
public final class MailSandbox: Sendable {
    /// How many messages it keeps (the oldest go first).
    public static let capacity = 200
    static let maxMessageBytes = 1 << 20

    public let port: Int
    private let channel: any Channel
    private let store: NIOLockedValueBox<(next: Int, messages: [ReceivedMail])>

    private init(port: Int, channel: any Channel, store: NIOLockedValueBox<(next: Int, messages: [ReceivedMail])>) {
        self.port = port
        self.channel = channel
        self.store = store
    }

    /// Listens on 127.0.0.1 at `port` (0: any free port).
    public static func start(port: Int = 0, now: @escaping @Sendable () -> Date = { Date() },
                             logger: Logger = Logger(label: "drop.sandbox.mail")) async throws -> MailSandbox {
        let store = NIOLockedValueBox<(next: Int, messages: [ReceivedMail])>((1, []))
        let accept: @Sendable (String, [String], String) -> Void = { from, to, data in
            store.withLockedValue { state in
                state.messages.append(ReceivedMail(id: state.next, receivedAt: now(), mailFrom: from, rcptTo: to, data: data))
                state.next += 1
                if state.messages.count > capacity { state.messages.removeFirst(state.messages.count - capacity) }
            }
            logger.info("mail sandbox accepted a message")
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SMTPServerSession(accept: accept))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        return MailSandbox(port: channel.localAddress?.port ?? port, channel: channel, store: store)
    }

    /// Every message kept, oldest first.
    public var messages: [ReceivedMail] { store.withLockedValue { $0.messages } }

    public func stop() async {
        try? await channel.close()
    }
}

/// One client's conversation.
final class SMTPServerSession: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case greeted
        case ready
        case mail(from: String, to: [String])
        case data(from: String, to: [String], lines: [String], bytes: Int)
    }

    private let accept: @Sendable (String, [String], String) -> Void
    private var state = State.greeted
    private var pending = ByteBuffer()

    init(accept: @escaping @Sendable (String, [String], String) -> Void) {
        self.accept = accept
    }

    func channelActive(context: ChannelHandlerContext) {
        reply(context, "220 drop-mail-sandbox ESMTP ready")
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        pending.writeBuffer(&bytes)
        while let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            guard var line = pending.readString(length: newline - pending.readerIndex) else { break }
            pending.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            handle(line, context)
        }
        pending.discardReadBytes()
        // A command line is at most 512 bytes (RFC 5321 §4.5.3.1.4), a text line 1,000.
        if pending.readableBytes > 1000 {
            reply(context, "500 5.5.2 Line too long")
            context.close(promise: nil)
        }
    }

    private func handle(_ line: String, _ context: ChannelHandlerContext) {
        if case .data(let from, let to, var lines, let bytes) = state {
            if line == "." {
                guard bytes <= MailSandbox.maxMessageBytes else {
                    state = .ready
                    return reply(context, "552 5.3.4 Message too big")
                }
                accept(from, to, lines.joined(separator: "\r\n") + "\r\n")
                state = .ready
                return reply(context, "250 2.0.0 Queued")
            }
            let unstuffed = line.hasPrefix(".") ? String(line.dropFirst()) : line
            if bytes <= MailSandbox.maxMessageBytes { lines.append(unstuffed) }
            state = .data(from: from, to: to, lines: lines, bytes: bytes + unstuffed.utf8.count + 2)
            return
        }
        let verb = line.prefix { $0 != " " && $0 != ":" }.uppercased()
        let argument = line.dropFirst(verb.count)
        switch (verb, state) {
        case ("EHLO", _):
            state = .ready
            reply(context, "250-drop-mail-sandbox\r\n250-SIZE \(MailSandbox.maxMessageBytes)\r\n250-8BITMIME\r\n250 PIPELINING")
        case ("HELO", _):
            state = .ready
            reply(context, "250 drop-mail-sandbox")
        case ("MAIL", .ready):
            guard let from = Self.path(argument, prefix: "FROM:") else { return reply(context, "501 5.5.4 Syntax: MAIL FROM:<address>") }
            state = .mail(from: from, to: [])
            reply(context, "250 2.1.0 OK")
        case ("RCPT", .mail(let from, var to)):
            guard let address = Self.path(argument, prefix: "TO:"), !address.isEmpty else { return reply(context, "501 5.5.4 Syntax: RCPT TO:<address>") }
            guard to.count < 100 else { return reply(context, "452 4.5.3 Too many recipients") }
            to.append(address)
            state = .mail(from: from, to: to)
            reply(context, "250 2.1.5 OK")
        case ("DATA", .mail(let from, let to)) where !to.isEmpty:
            state = .data(from: from, to: to, lines: [], bytes: 0)
            reply(context, "354 End data with <CR><LF>.<CR><LF>")
        case ("RSET", _):
            if case .greeted = state {} else { state = .ready }
            reply(context, "250 2.0.0 OK")
        case ("NOOP", _):
            reply(context, "250 2.0.0 OK")
        case ("QUIT", _):
            reply(context, "221 2.0.0 Bye")
            context.close(promise: nil)
        case ("MAIL", _), ("RCPT", _), ("DATA", _):
            reply(context, "503 5.5.1 Bad sequence of commands")
        case ("STARTTLS", _), ("AUTH", _):
            reply(context, "502 5.5.1 Not offered by the sandbox (loopback only)")
        default:
            reply(context, "500 5.5.2 Command not recognized")
        }
    }

    /// `FROM:<a@b>` → `a@b` (parameters after the path, e.g. `SIZE=…`, are ignored).
    static func path(_ argument: Substring, prefix: String) -> String? {
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        guard trimmed.uppercased().hasPrefix(prefix) else { return nil }
        let rest = trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        guard rest.hasPrefix("<"), let close = rest.firstIndex(of: ">") else { return nil }
        return String(rest[rest.index(after: rest.startIndex)..<close])
    }

    private func reply(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
    }
}
