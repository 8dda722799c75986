import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP relay on loopback between a client and a server, whose server-to-client bytes can be frozen:
/// the connections stay open and the client's bytes still go through, but nothing comes back, as when a
/// NAT or load balancer has dropped an idle connection without telling either end, or a transaction-mode
/// pooler swallows a LISTEN's notifications.
final class TCPRelay: Sendable {
    let port: Int
    private let listener: any Channel
    private let state: NIOLockedValueBox<(frozen: Bool, open: [any Channel])>

    private init(port: Int, listener: any Channel, state: NIOLockedValueBox<(frozen: Bool, open: [any Channel])>) {
        self.port = port
        self.listener = listener
        self.state = state
    }

    /// Relays each connection made to `port` to `host:targetPort`.
    static func start(to host: String, port targetPort: Int) async throws -> TCPRelay {
        let state = NIOLockedValueBox<(frozen: Bool, open: [any Channel])>((false, []))
        let frozen: @Sendable () -> Bool = { state.withLockedValue { $0.frozen } }
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { client in
                ClientBootstrap(group: client.eventLoop)
                    .channelInitializer { server in
                        server.eventLoop.makeCompletedFuture {
                            try server.pipeline.syncOperations.addHandler(Forward(to: client, dropping: frozen))
                        }
                    }
                    .connect(host: host, port: targetPort)
                    .flatMapThrowing { server in
                        try client.pipeline.syncOperations.addHandler(Forward(to: server, dropping: { false }))
                        state.withLockedValue { $0.open += [client, server] }
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TCPRelay(port: listener.localAddress?.port ?? 0, listener: listener, state: state)
    }

    /// From now on nothing the server sends reaches a client, on open connections and new ones.
    func freeze() { state.withLockedValue { $0.frozen = true } }

    /// Closes every relayed connection and stops accepting: the clients see their connections end.
    func stop() async {
        let open = state.withLockedValue { $0.open }
        for channel in open { try? await channel.close() }
        try? await listener.close()
    }

    /// Writes what one side reads to the other, unless `dropping` says to throw it away; closing either side closes both.
    private final class Forward: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let peer: any Channel
        let dropping: @Sendable () -> Bool

        init(to peer: any Channel, dropping: @escaping @Sendable () -> Bool) {
            self.peer = peer
            self.dropping = dropping
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data)
            if dropping() { return }
            peer.writeAndFlush(bytes, promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            peer.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
