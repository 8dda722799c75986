import DropCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// What went wrong handing a message to the mail server. A transient failure (4xx, a dropped or
/// refused connection, a timeout) is worth trying again later; a permanent one (5xx) is not.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    case transient(String)
    case permanent(String)

    public var description: String {
        switch self {
        case .transient(let why): "SMTP, try again later: \(why)"
        case .permanent(let why): "SMTP, refused: \(why)"
        }
    }
}

/// One reply: its three-digit code and the text of all its lines.
struct SMTPReply: Sendable, Equatable {
    let code: Int
    let lines: [String]

    var isPositive: Bool { (200..<400).contains(code) }
    /// What a failure carries: the code and the first line, never the message or the credentials.
    var summary: String { "\(code) \(lines.first ?? "")" }
}

/// Hands one message to the mail server per call (RFC 5321): a fresh connection, EHLO, STARTTLS
/// when configured (and then EHLO again, forgetting what was said in clear), AUTH PLAIN, one
/// envelope, DATA, QUIT. Email is rare enough in Drop that a connection per message is simpler
/// than a pool and never sends on a connection the server has half closed.
public struct SMTPClient: Sendable {
    public let settings: SMTPSettings
    /// The name Drop gives in EHLO.
    let heloName: String
    let timeout: Duration
    let tls: NIOSSLContext?

    public init(settings: SMTPSettings, heloName: String = "drop.localhost", timeout: Duration = .seconds(30)) throws {
        self.settings = settings
        self.heloName = heloName
        self.timeout = timeout
        if settings.security == .none {
            tls = nil
        } else {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            if let caFile = settings.caFile {
                configuration.additionalTrustRoots = [.file(caFile)]
            }
            tls = try NIOSSLContext(configuration: configuration)
        }
    }

    /// Sends `message` from `envelopeFrom` to its one recipient. Throws `SMTPError`.
    public func send(_ message: MailMessage, envelopeFrom: EmailAddress) async throws {
        let session: SMTPSession
        do {
            session = try await SMTPSession.connect(settings, tls: tls, timeout: timeout)
        } catch {
            throw SMTPError.transient("can't connect to \(settings.host):\(settings.port) (\(type(of: error)))")
        }
        do {
            try await session.expect(220, after: nil)
            var extensions = try await session.expect(250, after: "EHLO \(heloName)")
            if settings.security == .startTLS {
                guard extensions.lines.dropFirst().contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                    throw SMTPError.permanent("the server does not offer STARTTLS; nothing was sent in clear text")
                }
                try await session.expect(220, after: "STARTTLS")
                try await session.startTLS(tls!, serverHostname: settings.host)
                extensions = try await session.expect(250, after: "EHLO \(heloName)")
            }
            if let username = settings.username, let password = settings.password {
                guard extensions.lines.dropFirst().contains(where: { $0.uppercased().hasPrefix("AUTH") && $0.uppercased().contains("PLAIN") }) else {
                    throw SMTPError.permanent("the server offers no AUTH PLAIN")
                }
                let credentials = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
                try await session.expect(235, after: "AUTH PLAIN \(credentials)", shown: "AUTH PLAIN …")
            }
            try await session.expect(250, after: "MAIL FROM:<\(envelopeFrom.value)>")
            try await session.expect([250, 251], after: "RCPT TO:<\(message.to.value)>")
            try await session.expect(354, after: "DATA")
            try await session.expect(250, after: Self.dotStuffed(message.rendered()) + ".", shown: "the message")
            _ = try? await session.command("QUIT")
            await session.close()
        } catch let error as SMTPError {
            await session.close()
            throw error
        } catch {
            await session.close()
            throw SMTPError.transient("the connection failed (\(type(of: error)))")
        }
    }

    /// RFC 5321 §4.5.2: a line that starts with a dot gets another, so no line of the message
    /// can end DATA early. The result ends with CRLF.
    static func dotStuffed(_ data: String) -> String {
        var lines = data.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n"
    }
}

/// One connection's command/reply exchange, owned by the one task that sends the message.
final class SMTPSession {
    let channel: any Channel
    private var replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator
    private let watchdog: Task<Void, Never>

    private init(channel: any Channel, replies: AsyncThrowingStream<SMTPReply, any Error>, timeout: Duration) {
        self.channel = channel
        self.replies = replies.makeAsyncIterator()
        // One deadline for the whole conversation: a server that stops answering is cut off.
        watchdog = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { channel.close(promise: nil) }
        }
    }

    static func connect(_ settings: SMTPSettings, tls: NIOSSLContext?, timeout: Duration) async throws -> SMTPSession {
        let (stream, continuation) = AsyncThrowingStream<SMTPReply, any Error>.makeStream()
        let implicitTLS = settings.security == .implicitTLS ? tls : nil
        let host = settings.host
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: implicitTLS, serverHostname: host))
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyDecoder(replies: continuation))
                }
            }
            .connect(host: settings.host, port: settings.port).get()
        return SMTPSession(channel: channel, replies: stream, timeout: timeout)
    }

    /// Sends `line` (when given) and reads the reply, which must have one of `codes`.
    @discardableResult
    func expect(_ codes: [Int], after line: String?, shown: String? = nil) async throws -> SMTPReply {
        let reply = if let line { try await command(line) } else { try await read() }
        guard codes.contains(reply.code) else {
            let what = "\(shown ?? line.map { String($0.prefix(4)) } ?? "greeting"): \(reply.summary)"
            throw (500..<600).contains(reply.code) ? SMTPError.permanent(what) : SMTPError.transient(what)
        }
        return reply
    }

    @discardableResult
    func expect(_ code: Int, after line: String?, shown: String? = nil) async throws -> SMTPReply {
        try await expect([code], after: line, shown: shown)
    }

    func command(_ line: String) async throws -> SMTPReply {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line.hasSuffix("\r\n") ? line : line + "\r\n")
        try await channel.writeAndFlush(buffer)
        return try await read()
    }

    func read() async throws -> SMTPReply {
        guard let reply = try await replies.next() else { throw SMTPError.transient("the server closed the connection") }
        return reply
    }

    /// Puts TLS under the conversation in place (after the server's 220 to STARTTLS). Anything the
    /// server sent in clear after that 220 is thrown away unread: it could only be an injected reply.
    func startTLS(_ context: NIOSSLContext, serverHostname: String) async throws {
        let channel = self.channel
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: SMTPReplyDecoder.self).discardBuffered()
            try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: serverHostname), position: .first)
        }.get()
    }

    func close() async {
        watchdog.cancel()
        try? await channel.close()
    }
}

/// Cuts the server's bytes into replies: lines `250-…` continue a reply, `250 …` (or `250`) ends it.
/// Lines are at most 2,048 bytes and replies 100 lines, so a hostile server can't grow memory.
final class SMTPReplyDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let replies: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    private var pending = ByteBuffer()
    private var lines: [String] = []

    init(replies: AsyncThrowingStream<SMTPReply, any Error>.Continuation) {
        self.replies = replies
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        pending.writeBuffer(&bytes)
        while let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - pending.readerIndex
            guard var line = pending.readString(length: length) else { break }
            pending.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            guard line.utf8.count >= 3, let code = Int(line.prefix(3)), (200..<600).contains(code) else {
                return fail(context, "a reply line that isn't SMTP")
            }
            let separator = line.dropFirst(3).first
            lines.append(String(line.dropFirst(4)))
            guard lines.count <= 100 else { return fail(context, "a reply of more than 100 lines") }
            if separator == "-" { continue }
            replies.yield(SMTPReply(code: code, lines: lines))
            lines = []
        }
        pending.discardReadBytes()
        if pending.readableBytes > 2048 { fail(context, "a reply line longer than 2,048 bytes") }
    }

    func discardBuffered() {
        pending.clear()
        lines = []
    }

    func channelInactive(context: ChannelHandlerContext) {
        replies.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        replies.finish(throwing: error)
        context.close(promise: nil)
    }

    private func fail(_ context: ChannelHandlerContext, _ why: String) {
        replies.finish(throwing: SMTPError.transient("the server sent \(why)"))
        context.close(promise: nil)
    }
}
