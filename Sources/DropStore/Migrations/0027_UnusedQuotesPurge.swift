/// Quotes nobody used are deleted a day after they expire (`QuoteRepository.purgeUnused`, run by
/// `maintenance.purge` every five minutes): this index lets it find them without reading the quotes
/// transfers keep.
extension Migration {
    static let unusedQuotesPurge = Migration(version: 27, name: "unused_quotes_purge", statements: [
        "CREATE INDEX quotes_unused_expiry ON quotes (expires_at) WHERE used_at IS NULL",
    ])
}
