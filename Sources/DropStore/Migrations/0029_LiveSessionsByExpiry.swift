/// Live sessions found by their expiry: a process starting reads which customers signed in lately
/// (`SessionRepository.recentlySignedIn`, `WarmStart`) without reading every session ever made.
extension Migration {
    static let liveSessionsByExpiry = Migration(version: 29, name: "live_sessions_by_expiry", statements: [
        "CREATE INDEX sessions_expiry ON sessions (expires_at) WHERE revoked_at IS NULL",
    ])
}
