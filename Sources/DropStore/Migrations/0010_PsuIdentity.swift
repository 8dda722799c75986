/// `users.pid_encrypted`: the national identity number, AES-GCM sealed with `PID_ENCRYPTION_KEY`,
/// so Drop can tell the bank which person may approve a consent (`PSU-ID`). Written at sign-in
/// (existing customers get it on their next one), blanked at erasure. `pid_hash` stays the
/// lookup key: the sealed number is never searched on.
extension Migration {
    static let psuIdentity = Migration(version: 10, name: "psu_identity", statements: [
        "ALTER TABLE users ADD COLUMN pid_encrypted TEXT",
    ])
}
