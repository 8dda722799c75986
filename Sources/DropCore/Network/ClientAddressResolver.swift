/// Who is really calling, when Drop sits behind reverse proxies it runs itself.
///
/// `X-Forwarded-For` is written by whoever sent the request, so only the part our own proxies
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

    /// The client's address, canonically spelled. `forwardedFor` holds every `X-Forwarded-For`
    /// header line in the order received.
    public func clientAddress(peer: String, forwardedFor: [String]) -> String {
        guard let peerAddress = IPAddress(peer) else { return peer }
        guard trustForwardedFor, isTrusted(peerAddress) else { return peerAddress.description }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        var nearest = peerAddress
        for hop in hops.reversed() {
            // Garbage can only come from the client's side of the chain: stop at the last good hop.
            guard let address = IPAddress(hop) else { return nearest.description }
            if !isTrusted(address) { return address.description }
            nearest = address
        }
        // Every hop is one of ours (a request from inside): the left-most is where it started.
        return nearest.description
    }
}
