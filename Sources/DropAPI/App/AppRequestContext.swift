import DropCore
import DropStore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Who is calling, once authentication has run.
public struct Identity: Sendable, Equatable {
    public typealias Role = UserRole
    /// How the credential arrived: cookie-authenticated writes need the CSRF check.
    public enum Transport: Sendable, Equatable { case cookie, bearer }

    public var userId: String
    public var sessionId: String
    public var role: Role
    public var transport: Transport
    /// When the person last authenticated at BankID for this session (admin writes need it recent); nil = unknown.
    public var authenticatedAt: Date?
    /// The customer's record when this request read it with the session (the session's first use
    /// on this process); nil when the session came from memory. `SessionService.currentUser` uses it
    /// rather than reading the customer a second time.
    public var userAsChecked: UserRecord?

    public init(userId: String, sessionId: String, role: Role, transport: Transport, authenticatedAt: Date? = nil,
                userAsChecked: UserRecord? = nil) {
        self.userId = userId
        self.sessionId = sessionId
        self.role = role
        self.transport = transport
        self.authenticatedAt = authenticatedAt
        self.userAsChecked = userAsChecked
    }
}

/// Printed without the customer's record: an identity in a log line or an error report names the
/// customer and session by id only, never by name, number or birth date.
extension Identity: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "Identity(userId: \(userId), sessionId: \(sessionId), role: \(role.rawValue), transport: \(transport))"
    }

    public var debugDescription: String { description }
}

/// The per-request state every handler sees.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Accepted from `x-request-id` when sane, else generated; echoed on every response.
    public var requestID: String = ""
    /// The caller's address, as seen by the server (or its proxy, when trusted).
    public var clientIP: String
    /// Set by the authentication middleware; nil for anonymous calls.
    public var identity: Identity?
    /// Whether authentication already ran for this request (the rate limiter may run it early).
    public var authenticated = false
    /// The event loop of the request's connection, where its work belongs (`RequestChain`).
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientIP = source.channel.remoteAddress?.ipAddress ?? "unknown"
        self.eventLoop = source.channel.eventLoop
    }

    public var maxUploadSize: Int { 256 * 1024 }
}
