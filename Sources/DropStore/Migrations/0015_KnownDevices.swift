/// The browsers and phones a customer has signed in from, by the SHA-256 of the device's own
/// random id (the `drop_device` cookie, or the id the app keeps), so a sign-in from one never seen
/// before can be told to the customer. Erasure deletes them.
extension Migration {
    static let knownDevices = Migration(version: 15, name: "known_devices", statements: [
        """
        CREATE TABLE known_devices (
            user_id TEXT NOT NULL REFERENCES users (id),
            device_sha256 TEXT NOT NULL,
            client TEXT NOT NULL CHECK (client IN ('web', 'mobile')),
            first_seen_at TIMESTAMPTZ NOT NULL,
            last_seen_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (user_id, device_sha256)
        )
        """,
    ])
}
