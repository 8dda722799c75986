/// A suspicious transaction report is a draft compliance may still edit until it is filed with the
/// FIU; a filed report never changes.
public enum STRReportStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    case filed
}
