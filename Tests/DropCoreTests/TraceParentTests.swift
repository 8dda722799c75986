import DropCore
import Testing

@Suite("W3C traceparent")
struct TraceParentTests {
    @Test func aValidHeaderReadsAndPrintsTheSame() throws {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let parent = try #require(TraceParent(header: header))
        #expect(parent.traceId.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parent.spanId.hex == "00f067aa0ba902b7")
        #expect(parent.isSampled)
        #expect(parent.header == header)
    }

    @Test func malformedHeadersAreIgnored() {
        let bad = [
            "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // uppercase
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero span id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff is invalid
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has exactly four fields
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01", "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
        ]
        for header in bad { #expect(TraceParent(header: header) == nil, "\(header)") }
    }

    @Test func aLaterVersionIsReadForItsFirstFourFields() throws {
        let parent = try #require(TraceParent(header: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-what-comes-next"))
        #expect(!parent.isSampled)
        #expect(parent.header.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-"))
    }

    @Test func freshIdsAreNeverZeroAndRoundTrip() throws {
        for _ in 0..<100 {
            let parent = TraceParent(traceId: .random(), spanId: .random())
            #expect(TraceParent(header: parent.header) == parent)
        }
    }
}
