import Testing
@testable import DropCore

@Suite("Client address behind proxies")
struct ClientAddressResolverTests {
    let proxies = ClientAddressResolver.parseProxies("10.0.0.0/8,fd00::/8").networks
    var behindProxies: ClientAddressResolver { ClientAddressResolver(trustForwardedFor: true, trustedProxies: proxies) }

    @Test func addressesReadLikeProxiesWriteThem() {
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        #expect(IPAddress(" 192.0.2.1:4711 ")?.description == "192.0.2.1")
        #expect(IPAddress("[2001:db8::1]:443")?.description == "2001:db8::1")
        #expect(IPAddress("2001:0db8:0:0::0001")?.description == "2001:db8::1")
        #expect(IPAddress("fe80::1%eth0")?.description == "fe80::1")
        #expect(IPAddress("::ffff:192.0.2.1") == IPAddress("192.0.2.1"))
        for garbage in ["", "unknown", "192.0.2", "300.1.1.1", "1.2.3.4.5", "example.com", "::g", "[::1"] {
            #expect(IPAddress(garbage) == nil, "\(garbage)")
        }
    }

    // Broke the fuzz property "no control characters" (Tests/Fuzz/Corpus/client-address/nul-after-address):
    // inet_pton stopped at the NUL and the text after it went through as part of a valid address.
    @Test func addressWithEmbeddedNULIsRefused() {
        #expect(IPAddress("192.0.2.1\u{0}evil") == nil)
        #expect(IPAddress("fe80::1%eth0\u{0}") == nil)
        #expect(IPAddress("192.0.2.1\u{7}") == nil)
    }

    // Tests/Fuzz/Corpus/client-address/text-after-brackets: what follows an address is a port or nothing.
    @Test func textAfterTheAddressIsAPortOrNothing() {
        #expect(IPAddress("[::1]evil") == nil)
        #expect(IPAddress("[::1]:") == nil)
        #expect(IPAddress("192.0.2.1:http") == nil)
        #expect(IPAddress("192.0.2.1:123456") == nil)
        #expect(IPAddress("[::1]:8080")?.description == "::1")
        #expect(IPAddress("[::1]")?.description == "::1")
    }

    @Test func networksContainTheirAddresses() throws {
        let v4 = try #require(IPNetwork("10.1.0.0/16"))
        #expect(v4.contains(IPAddress("10.1.255.3")!) && !v4.contains(IPAddress("10.2.0.1")!))
        #expect(!v4.contains(IPAddress("::ffff:10.2.0.1")!) && v4.contains(IPAddress("::ffff:10.1.0.1")!))
        let v6 = try #require(IPNetwork("fd00::/8"))
        #expect(v6.contains(IPAddress("fd12:3456::1")!) && !v6.contains(IPAddress("fe80::1")!))
        #expect(!v6.contains(IPAddress("10.0.0.1")!))
        #expect(IPNetwork("0.0.0.0/0")!.contains(IPAddress("203.0.113.9")!))
        #expect(IPNetwork("10.0.0.7")!.description == "10.0.0.7/32")
        #expect(IPNetwork("10.0.0.0/23")!.contains(IPAddress("10.0.1.200")!) && !IPNetwork("10.0.0.0/23")!.contains(IPAddress("10.0.2.0")!))
        for bad in ["10.0.0.0/33", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/", "proxy/8", "10.0.0.0/8/8"] {
            #expect(IPNetwork(bad) == nil, "\(bad)")
        }
    }

    @Test func offMeansThePeer() {
        let resolver = ClientAddressResolver(trustForwardedFor: false, trustedProxies: proxies)
        #expect(resolver.clientAddress(peer: "10.0.0.5", forwardedFor: ["203.0.113.9"]) == "10.0.0.5")
    }

    /// A caller that is not our proxy wrote the header itself: it is ignored, whatever it says.
    @Test func spoofedHeadersFromUntrustedPeersAreIgnored() {
        #expect(behindProxies.clientAddress(peer: "198.51.100.4", forwardedFor: ["203.0.113.9"]) == "198.51.100.4")
        #expect(behindProxies.clientAddress(peer: "198.51.100.4", forwardedFor: ["10.0.0.1, 127.0.0.1"]) == "198.51.100.4")
        #expect(behindProxies.clientAddress(peer: "2001:db8::4", forwardedFor: ["2001:db8::5"]) == "2001:db8::4")
    }

    @Test func theRightMostAddressNotOurProxyIsTheClient() {
        // The client prepended a fake address; our proxies appended what they saw.
        #expect(behindProxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["1.1.1.1, 203.0.113.9, 10.0.0.1"]) == "203.0.113.9")
        // Several header lines are one list, in order.
        #expect(behindProxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["1.1.1.1", "203.0.113.9", "10.0.0.1"]) == "203.0.113.9")
        #expect(behindProxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.7:5123"]) == "198.51.100.7")
        // Garbage left of our proxies stops the walk at the last hop we can believe.
        #expect(behindProxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["203.0.113.9, nonsense, 10.0.0.1"]) == "10.0.0.1")
        // No header, or only our own hops: the request came from inside.
        #expect(behindProxies.clientAddress(peer: "10.0.0.2", forwardedFor: []) == "10.0.0.2")
        #expect(behindProxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["10.9.9.9, 10.0.0.1"]) == "10.9.9.9")
    }

    @Test func ipv6ChainsAndMappedPeers() {
        #expect(behindProxies.clientAddress(peer: "fd00::2", forwardedFor: ["2001:db8::1, [2001:db8::42]:443, fd00::1"]) == "2001:db8::42")
        #expect(behindProxies.clientAddress(peer: "::ffff:10.0.0.2", forwardedFor: ["203.0.113.9"]) == "203.0.113.9")
        // One client, one spelling (and so one rate-limit bucket).
        #expect(behindProxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["2001:DB8:0::1"]) == "2001:db8::1")
        let loopback = ClientAddressResolver(trustForwardedFor: true)
        #expect(loopback.clientAddress(peer: "::1", forwardedFor: ["203.0.113.9"]) == "203.0.113.9")
        #expect(loopback.clientAddress(peer: "unknown", forwardedFor: ["203.0.113.9"]) == "unknown")
    }
}
