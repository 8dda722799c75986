/// Who is really calling, when Drop sits behind reverse proxies it runs itself.
///
/// `Forwarded` and `X-Forwarded-For` are written by whoever sent the request, so only the part our own proxies
/// appended can be believed: walk it from the right, skipping our proxies, and the first address
/// that is not one of them is the client. Anything left of that is the client's own claim. A peer
/// that is not a trusted proxy sent the header itself: it is ignored and the peer is the client.
public struct ClientAddressResolver: Sendable {
    public let trustForwardedFor: Bool
    public let trustedProxies: [IPNetwork]

    public static let loopback: [IPNetwork] = [IPNetwork("127.0.0.0/8")!, IPNetwork("::1/128")!]

    public init(trustForwardedFor: Bool, trustedProxies: [IPNetwork] = Self.loopback) {
        self.trustForwardedFor = trustForwardedFor
        self.trustedProxies = trustedProxies
    }

    /// Parses `TRUSTED_PROXIES` (comma-separated CIDRs or addresses); the entries that don't parse are returned.
    public static func parseProxies(_ list: String) -> (networks: [IPNetwork], invalid: [String]) {
        var networks: [IPNetwork] = []
        var invalid: [String] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            if let network = IPNetwork(entry) { networks.append(network) } else { invalid.append(entry) }
        }
        return (networks, invalid)
    }

    public func isTrusted(_ address: IPAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    /// The client's address, canonically spelled. `forwarded` and `forwardedFor` hold every
    /// `Forwarded` (RFC 7239) and `X-Forwarded-For` header line in the order received.
    ///
    /// One header is read, never a mix: `Forwarded` when the request has one, else
    /// `X-Forwarded-For`. The standard header wins because it can say `unknown` or hide a hop,
    /// which X-Forwarded-For can't. Either way the proxy must overwrite or remove the header it
    /// does not write itself, or the client writes it (README, Security).
    public func clientAddress(peer: String, forwarded: [String] = [], forwardedFor: [String]) -> String {
        // Nothing to believe: the peer as the socket gave it (already canonical, inet_ntop's spelling),
        // without parsing it on every request.
        guard trustForwardedFor, !(forwarded.isEmpty && forwardedFor.isEmpty) else { return peer }
        guard let peerAddress = IPAddress(peer) else { return peer }
        guard isTrusted(peerAddress) else { return peerAddress.description }
        let hops: [ForwardedHeader.Node]
        if forwarded.contains(where: { !$0.allSatisfy(\.isWhitespace) }) {
            hops = ForwardedHeader.forNodes(forwarded)
        } else {
            hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { IPAddress($0).map(ForwardedHeader.Node.address) ?? .invalid }
        }
        var nearest = peerAddress
        for hop in hops.reversed() {
            // Garbage, `unknown` or a hidden hop: the client's side of the chain starts here and our
            // proxies didn't see (or say) an address. Stop at the last hop we can believe — our own
            // proxy — rather than take anything further left, which the client could have written.
            guard case .address(let address) = hop else { return nearest.description }
            if !isTrusted(address) { return address.description }
            nearest = address
        }
        // Every hop is one of ours (a request from inside): the left-most is where it started.
        return nearest.description
    }
}
