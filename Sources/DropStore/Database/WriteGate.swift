/// An async FIFO mutex. SQLite allows one writer at a time; queueing write transactions here,
/// in the process, means they wait without holding a connection or a thread (a BUSY wait inside
/// SQLite blocks a thread-pool thread, and enough of those starve the writer they wait for).
actor WriteGate {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
