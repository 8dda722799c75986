extension Duration {
    /// The whole nanoseconds in a request's duration, as the metrics record it and the access log
    /// rounds it; a request is never long enough to overflow.
    var wholeNanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
