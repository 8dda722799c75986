/// Polish, Arabic, Somali and Urdu join bokmål and English as languages a customer can choose
/// (`CustomerLanguage`). The old column's CHECK allowed only `nb` and `en`, and neither database can
/// widen a CHECK in place portably, so the choice moves to a new column under the same name.
extension Migration {
    static let customerLanguages = Migration(version: 13, name: "customer_languages", statements: [
        "ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en', 'pl', 'ar', 'so', 'ur'))",
        "UPDATE users SET language = locale",
        "ALTER TABLE users DROP COLUMN locale",
        "ALTER TABLE users RENAME COLUMN language TO locale",
    ])
}
