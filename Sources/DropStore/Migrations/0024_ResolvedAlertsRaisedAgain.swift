/// An operations alert about a condition a job keeps finding (`OperationsAlert.Kind.raisedAgainOnceResolved`)
/// holds its dedupe key only while it is open: once a person resolved it, the same problem seen again is raised
/// again (`OperationsAlertRepository.resolve` lets the key go). Such alerts resolved before this migration let
/// theirs go here; the kinds are the ones there were then.
extension Migration {
    static let resolvedAlertsRaisedAgain = Migration(version: 24, name: "resolved_alerts_raised_again", statements: [
        """
        UPDATE operations_alerts SET dedupe_key = NULL
        WHERE resolved_at IS NOT NULL AND kind IN ('payout_partner_refused', 'identity_check_unreadable', 'retention_purge_failed')
        """,
    ])
}
