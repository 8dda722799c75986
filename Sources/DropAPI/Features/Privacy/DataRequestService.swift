import DropCore
import DropStore
import Foundation

/// Data subject requests a person files by hand (rectification, restriction, objection, or an
/// access request they want answered by a person rather than the self-service export). Each is
/// due 30 days after it arrives. Erasure has its own self-service endpoint and is recorded here too.
public struct DataRequestService: Sendable {
    let database: Database
    let clock: @Sendable () -> Date

    public struct Input: Decodable, Sendable {
        public let kind: String
        public let details: String?

        public init(kind: String, details: String?) {
            self.kind = kind
            self.details = details
        }
    }

    static let maxDetails = 2000

    public func create(userId: String, _ input: Input, requestID: String) async throws -> DataRequestView {
        var problems: [ErrorDetail] = []
        let details = input.details?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        let kind = DataSubjectRequestKind(rawValue: input.kind)
        if kind == .erasure {
            problems.append(ErrorDetail(field: "kind", issue: "use_erasure_endpoint", message: "Ask for erasure with POST /v1/gdpr/erasure."))
        } else if kind == nil {
            problems.append(ErrorDetail(field: "kind", issue: "invalid", message: "Use access, rectification, restriction or objection."))
        }
        if kind != .access, details == nil {
            problems.append(ErrorDetail(field: "details", issue: "required", message: "Tell us what to correct, restrict or object to."))
        }
        if let details, details.count > Self.maxDetails {
            problems.append(ErrorDetail(field: "details", issue: "too_long", message: "At most \(Self.maxDetails) characters."))
        }
        guard problems.isEmpty, let kind else { throw AppError.validation("The request needs attention.", details: problems) }

        let now = clock()
        let due = LegalDeadlines.dataRequestDue(receivedOn: OsloCalendar.today(now))
        let record = DataRequestRecord(id: RecordID.make(), userId: userId, kind: kind, status: .open,
                                       details: details, createdAt: now, dueAt: OsloCalendar.endOfDay(due), completedAt: nil)
        try await database.transaction { db in
            // Two devices asking at once: the second waits here and finds the first's request.
            try await UserRepository.lock(id: userId, on: db)
            guard try await DataRequestRepository.countOpen(userId: userId, kind: kind, on: db) == 0 else {
                throw AppError.conflict("You already have an open \(kind.rawValue) request; we answer it by its due date.")
            }
            try await DataRequestRepository.insert(record, on: db)
            // The kind, never the text the person wrote: the audit log holds no personal data.
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "data_request.created",
                                                 entityType: "data_access_request", entityId: record.id,
                                                 data: ["kind": kind.rawValue, "due": due.iso], requestId: requestID),
                                      at: now, on: db)
        }
        return DataRequestView(record)
    }

    public func list(userId: String) async throws -> [DataRequestView] {
        try await database.withConnection { try await DataRequestRepository.all(userId: userId, on: $0) }.map(DataRequestView.init)
    }
}

/// A data subject request as the API shows it; `dueDate` is the Oslo day it must be answered by.
public struct DataRequestView: Codable, Sendable, Equatable {
    public let id: String
    public let kind: DataSubjectRequestKind
    public let status: DataSubjectRequestStatus
    public let details: String?
    public let createdAt: Date
    public let dueAt: Date
    public let dueDate: String
    public let completedAt: Date?

    init(_ record: DataRequestRecord) {
        id = record.id
        kind = record.kind
        status = record.status
        details = record.details
        createdAt = record.createdAt
        dueAt = record.dueAt
        dueDate = OsloCalendar.day(endingAt: record.dueAt).iso
        completedAt = record.completedAt
    }
}
