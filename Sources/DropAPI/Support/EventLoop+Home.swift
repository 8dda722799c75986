import NIOCore
import NIOPosix

extension EventLoop {
    /// Moves the calling task onto this event loop when tasks run on NIO's loops (ADR 0016) but the
    /// caller is on another one; otherwise does nothing.
    ///
    /// A connection's first request runs where Hummingbird started the connection's task: on the
    /// loop that accepted it, the same loop for every connection. A crowd arriving at once had
    /// every first visit there, one core busy and the other idle (ADR 0021). A task goes on where it
    /// is woken, so being woken from this loop brings it here. The server's loops are NIO's singleton
    /// group, which lives as long as the process, so the job always runs.
    func bringHome(from current: (any EventLoop)? = MultiThreadedEventLoopGroup.currentEventLoop) async {
        guard let current, current !== self else { return }
        await withCheckedContinuation { (woken: CheckedContinuation<Void, Never>) in
            execute { woken.resume() }
        }
    }
}
