/// Who handled an operations alert and how (`operations_alerts.resolved_by`, `resolution`). An
/// alert is raised by a job or a webhook and handled by a person (the runbook says what to do for
/// each kind, docs/operations.md); resolving it takes it off the open list and the
/// `drop_operations_alerts_open` gauge. The officer's words stay on the alert, not in the audit log,
/// which holds no free text (it is never erased); the audit row says who resolved which alert when.
extension Migration {
    static let operationsAlertResolutions = Migration(
        version: 21, name: "operations_alert_resolutions",
        statements: ["ALTER TABLE operations_alerts ADD COLUMN resolved_by TEXT",
                     "ALTER TABLE operations_alerts ADD COLUMN resolution TEXT"])
}
