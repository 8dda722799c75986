import NIOConcurrencyHelpers

/// A value made on first use and kept. Provider clients are made lazily because their URLs can
/// depend on the port the server binds, and kept because they hold caches and circuit breakers.
public final class Lazy<Value: Sendable>: Sendable {
    private let make: @Sendable () -> Value
    private let value = NIOLockedValueBox<Value?>(nil)

    public init(_ make: @escaping @Sendable () -> Value) {
        self.make = make
    }

    public var wrapped: Value {
        value.withLockedValue { stored in
            if let stored { return stored }
            let made = make()
            stored = made
            return made
        }
    }
}
