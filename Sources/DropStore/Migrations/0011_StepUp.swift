/// Step-up sign-in for admin actions. `sessions.authenticated_at` is when the person last proved
/// who they are at BankID (the ID token's `auth_time`), which may be older than the session row
/// when the provider reused a remembered sign-in; sessions from before count from `created_at`.
/// `oidc_logins.max_age` is the freshness a step-up attempt asked for, checked at the callback;
/// `oidc_logins.authenticated_at` carries `auth_time` to the app's code exchange.
extension Migration {
    static let stepUp = Migration(version: 11, name: "step_up", statements: [
        "ALTER TABLE sessions ADD COLUMN authenticated_at TIMESTAMPTZ",
        "ALTER TABLE oidc_logins ADD COLUMN max_age INTEGER",
        "ALTER TABLE oidc_logins ADD COLUMN authenticated_at TIMESTAMPTZ",
    ])
}
