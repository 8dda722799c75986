import Testing
@testable import DropCore

@Suite("RFC 7239 Forwarded")
struct ForwardedHeaderTests {
    typealias Node = ForwardedHeader.Node
    func v(_ text: String) -> Node { .address(IPAddress(text)!) }

    @Test func readsTheGrammarProxiesWrite() {
        #expect(ForwardedHeader.forNodes(["for=192.0.2.60;proto=http;by=203.0.113.43"]) == [v("192.0.2.60")])
        #expect(ForwardedHeader.forNodes(["For=\"192.0.2.43:47011\""]) == [v("192.0.2.43")])
        #expect(ForwardedHeader.forNodes([#"for="[2001:db8:cafe::17]:4711""#]) == [v("2001:db8:cafe::17")])
        #expect(ForwardedHeader.forNodes([#"for="[2001:db8::1]""#]) == [v("2001:db8::1")])
        // Comma-separated elements and several header lines are one list, in order.
        #expect(ForwardedHeader.forNodes(["for=192.0.2.43, for=198.51.100.17", "proto=https;for=10.0.0.1"])
                == [v("192.0.2.43"), v("198.51.100.17"), v("10.0.0.1")])
        #expect(ForwardedHeader.forNodes(["for=unknown, for=_hidden, for=\"_SEVKISEK:_port\", for=\"unknown:4711\""])
                == [.unknown, .obfuscated, .obfuscated, .unknown])
        // Quoted-pairs are unescaped; empty list members are allowed and say nothing.
        #expect(ForwardedHeader.forNodes([#"for="192.0.2.\1", , for=10.0.0.1 ; proto=https"#]) == [v("192.0.2.1"), v("10.0.0.1")])
        #expect(ForwardedHeader.forNodes([]) == [] && ForwardedHeader.forNodes([""]) == [])
    }

    @Test func unreadableElementsBecomeInvalid() {
        // IPv6 must be quoted and bracketed; a port only with digits (or obfuscated); no host names.
        for value in ["for=2001:db8::1", #"for="2001:db8::1""#, #"for="[2001:db8::1""#, #"for="[192.0.2.1]""#,
                      #"for="192.0.2.1:123456""#, #"for="192.0.2.1:x""#, "for=example.com", "for=_", "for=300.1.1.1",
                      #"for="[fe80::1%25eth0]""#, "proto=https", "for=192.0.2.1;for=192.0.2.2", "for="] {
            #expect(ForwardedHeader.forNodes([value]).last == .invalid, "\(value)")
        }
    }

    @Test func hostileInputNeverYieldsWhatFollowsTheBreak() {
        // An unbalanced quote swallows the rest of its line: nothing after it is believed…
        #expect(ForwardedHeader.forNodes([#"for="1.2.3.4, for=203.0.113.9"#]) == [.invalid])
        #expect(ForwardedHeader.forNodes([#"for=192.0.2.1, for="10.0.0.1\"#]) == [v("192.0.2.1"), .invalid])
        // …but a line our proxy added on its own is still read.
        #expect(ForwardedHeader.forNodes([#"for="1.2.3.4"#, "for=203.0.113.9"]) == [.invalid, v("203.0.113.9")])
        for garbage in ["=", ";;;", "for", "for 192.0.2.1", "for=192.0.2.1 x=y", "for=\u{1}", "for=\"\u{7f}\"", "f\u{e9}r=1.2.3.4",
                        "for=\"a\"b", String(repeating: "\"", count: 999)] {
            #expect(ForwardedHeader.forNodes([garbage]).last == .invalid, "\(garbage)")
        }
        // Huge headers or endless chains are not read at all.
        #expect(ForwardedHeader.forNodes([String(repeating: "for=192.0.2.1,", count: 1000)]) == [.invalid])
        #expect(ForwardedHeader.forNodes(Array(repeating: "for=10.0.0.1", count: 100)) == [.invalid])
        #expect(ForwardedHeader.forNodes([String(repeating: "a", count: ForwardedHeader.maxBytes + 1)]) == [.invalid])
    }

    @Test func theResolverPrefersForwardedAndStopsAtWhatItCantBelieve() {
        let resolver = ClientAddressResolver(trustForwardedFor: true, trustedProxies: ClientAddressResolver.parseProxies("10.0.0.0/8").networks)
        // Right-most untrusted hop; the client's own claims to its left are ignored.
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwarded: ["for=1.1.1.1, for=203.0.113.9, for=10.0.0.1"], forwardedFor: []) == "203.0.113.9")
        // Both headers: Forwarded is the one read.
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwarded: [#"for="[2001:db8::7]:4711""#], forwardedFor: ["198.51.100.1"]) == "2001:db8::7")
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwarded: ["  "], forwardedFor: ["198.51.100.1"]) == "198.51.100.1")
        // unknown, hidden or broken: the last hop we trust (here our proxy 10.0.0.1, else the peer) stands in.
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwarded: ["for=203.0.113.9, for=_hidden, for=10.0.0.1"], forwardedFor: []) == "10.0.0.1")
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwarded: ["for=unknown"], forwardedFor: []) == "10.0.0.2")
        #expect(resolver.clientAddress(peer: "10.0.0.2", forwarded: [#"for="203.0.113.9"#], forwardedFor: ["198.51.100.1"]) == "10.0.0.2")
        // From a peer that is not our proxy, or with trust off, the header is the caller's own claim.
        #expect(resolver.clientAddress(peer: "198.51.100.4", forwarded: ["for=203.0.113.9"], forwardedFor: []) == "198.51.100.4")
        #expect(ClientAddressResolver(trustForwardedFor: false).clientAddress(peer: "127.0.0.1", forwarded: ["for=203.0.113.9"], forwardedFor: [])
                == "127.0.0.1")
    }
}
