/// One AML rule: pure, deterministic, no I/O. Returns a finding when the transfer trips it, else nil.
///
/// Each rule reads its thresholds from `AMLConfiguration`, so changing a threshold never needs code.
public protocol AMLRule: Sendable {
    var id: AMLRuleID { get }
    func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding?
}
