import DropCore
import Testing

/// One customer's line as limits count it: an IPv4 address, or the /64 an IPv6 address is in.
@Suite("Subscriber networks")
struct SubscriberNetworkTests {
    static func subscriber(_ text: String) -> String? { IPAddress(text)?.subscriberNetwork.description }

    @Test func ipv6CountsItsSlash64AndIPv4ItsAddress() {
        // Every address a phone takes in its /64 is one caller; the next /64 is another.
        #expect(Self.subscriber("2001:db8:1:2::1") == "2001:db8:1:2::/64")
        #expect(Self.subscriber("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64")
        #expect(Self.subscriber("[2001:db8:1:2:a:b:c:d]:443") == "2001:db8:1:2::/64")
        #expect(Self.subscriber("2001:db8:1:3::1") == "2001:db8:1:3::/64")
        #expect(Self.subscriber("::1") == "::/64")
        // IPv4, also written IPv4-mapped, is the address itself.
        #expect(Self.subscriber("203.0.113.9") == "203.0.113.9/32")
        #expect(Self.subscriber("::ffff:203.0.113.9") == "203.0.113.9/32")
    }

    @Test func maskingClearsEveryBitAfterThePrefix() {
        let address = IPAddress("2001:db8:abcd:12ff:ffff::1")!
        #expect(IPNetwork(masking: address, to: 52).description == "2001:db8:abcd:1000::/52")
        #expect(IPNetwork(masking: address, to: 0).description == "::/0")
        #expect(IPNetwork(masking: address, to: 200).prefixLength == 128)
        #expect(IPNetwork(masking: IPAddress("198.51.100.77")!, to: 20).description == "198.51.96.0/20")
        // The network holds the address it was made from, and only its own.
        #expect(IPNetwork(masking: address, to: 64).contains(address))
        #expect(!IPNetwork(masking: address, to: 64).contains(IPAddress("2001:db8:abcd:1300::1")!))
    }
}
