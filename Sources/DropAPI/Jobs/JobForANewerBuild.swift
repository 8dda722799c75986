/// Thrown by a job's handler when the job is about something this build can't read: a row a newer build
/// wrote during a rolling deploy (a notification of a kind added since). The worker puts the job back,
/// unrun and its attempt not counted, for a worker of the build that can, as for a kind it has no handler for.
public struct JobForANewerBuild: Error, Sendable {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }
}
