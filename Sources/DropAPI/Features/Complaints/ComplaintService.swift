import DropCore
import DropStore
import Foundation

/// Complaints (PSD2 art. 101): a customer files one, optionally about a transaction of theirs;
/// Drop must answer within 15 business days; an admin moves it along and answers it.
public struct ComplaintService: Sendable {
    let database: Database
    let clock: @Sendable () -> Date

    public struct Input: Decodable, Sendable {
        public let subject: String
        public let description: String
        public let transactionId: String?

        public init(subject: String, description: String, transactionId: String? = nil) {
            self.subject = subject
            self.description = description
            self.transactionId = transactionId
        }
    }

    public struct Answer: Decodable, Sendable {
        /// `in_progress`, `resolved` or `rejected`.
        public let status: String
        public let resolution: String?

        public init(status: String, resolution: String?) {
            self.status = status
            self.resolution = resolution
        }
    }

    static let subjectLength = 3...120
    static let descriptionLength = 10...4000

    public func file(userId: String, _ input: Input, requestID: String) async throws -> ComplaintView {
        let subject = input.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        let description = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        let transactionId = input.transactionId?.trimmingCharacters(in: .whitespaces).nilIfEmpty?.lowercased()
        var problems: [ErrorDetail] = []
        if !Self.subjectLength.contains(subject.count) {
            problems.append(ErrorDetail(field: "subject", issue: subject.isEmpty ? "required" : "length",
                                        message: "Give the complaint a subject of 3 to 120 characters."))
        }
        if !Self.descriptionLength.contains(description.count) {
            problems.append(ErrorDetail(field: "description", issue: description.isEmpty ? "required" : "length",
                                        message: "Describe what happened in 10 to 4000 characters."))
        }
        for issue in [FreeText.controlCharacterIssue(subject, field: "subject"),
                      FreeText.controlCharacterIssue(description, field: "description", multiline: true)].compactMap({ $0 }) {
            problems.append(ErrorDetail(issue))
        }
        // Ids are ours (UUIDs): anything else names none of the customer's transactions.
        if let transactionId, UUID(uuidString: transactionId) == nil {
            problems.append(ErrorDetail(field: "transactionId", issue: "unknown", message: "Choose one of your own transactions."))
        } else if let transactionId {
            let owned = try await database.withConnection {
                try await CustomerTransactionRepository.belongs(id: transactionId, toUser: userId, on: $0)
            }
            if !owned { problems.append(ErrorDetail(field: "transactionId", issue: "unknown", message: "Choose one of your own transactions.")) }
        }
        guard problems.isEmpty else { throw AppError.validation("The complaint needs attention.", details: problems) }

        let now = clock()
        let due = LegalDeadlines.complaintDue(receivedOn: OsloCalendar.today(now))
        let complaint = ComplaintRecord(id: RecordID.make(), userId: userId, transactionId: transactionId, subject: subject,
                                        description: description, status: .open, createdAt: now, dueAt: OsloCalendar.endOfDay(due),
                                        resolvedAt: nil, resolution: nil)
        try await database.transaction { db in
            try await ComplaintRepository.insert(complaint, on: db)
            try await NotificationRepository.insert(NotificationRecord(
                userId: userId, kind: .complaintReceived, title: "We received your complaint",
                body: "We will answer by \(due.iso).", link: NotificationLink(complaintId: complaint.id), createdAt: now), on: db)
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "complaint.filed", entityType: "complaint",
                                                 entityId: complaint.id, data: ["due": due.iso], requestId: requestID), at: now, on: db)
        }
        return ComplaintView(complaint)
    }

    public func list(userId: String) async throws -> [ComplaintView] {
        try await database.withConnection { try await ComplaintRepository.all(userId: userId, on: $0) }.map(ComplaintView.init)
    }

    /// Only the customer's own; others' ids are 404 like unknown ones.
    public func find(id: String, userId: String) async throws -> ComplaintView {
        guard let complaint = try await database.withConnection({ try await ComplaintRepository.find(id: id, on: $0) }),
              complaint.userId == userId else { throw AppError.notFound("No such complaint.") }
        return ComplaintView(complaint)
    }

    /// The admin's queue: unanswered complaints, the nearest deadline first.
    public func unresolved(limit: Int) async throws -> [ComplaintView] {
        try await database.withConnection { try await ComplaintRepository.unresolved(limit: limit, on: $0) }.map(ComplaintView.init)
    }

    public func answer(id: String, _ answer: Answer, adminId: String, requestID: String) async throws -> ComplaintView {
        try await ownCase.complaint(id, "answer", by: AdminActor(userId: adminId, requestId: requestID))
        let resolution = answer.resolution?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        guard let status = ComplaintStatus(rawValue: answer.status), status != .open else {
            throw AppError.validation("Unknown status.", details: [ErrorDetail(field: "status", issue: "invalid", message: "Use in_progress, resolved or rejected.")])
        }
        if status.isAnswer, resolution == nil {
            throw AppError.validation("An answer needs its text.", details: [ErrorDetail(field: "resolution", issue: "required", message: "Write the answer the customer will get.")])
        }
        let now = clock()
        return try await database.transaction { db in
            guard let complaint = try await ComplaintRepository.find(id: id, on: db) else { throw AppError.notFound("No such complaint.") }
            guard try await ComplaintRepository.answer(id: id, status: status, resolution: resolution, at: now, on: db) else {
                throw AppError.conflict("This complaint has already been answered.")
            }
            if status.isAnswer {
                try await NotificationRepository.insert(NotificationRecord(
                    userId: complaint.userId, kind: .complaintAnswered, title: "We answered your complaint",
                    body: "Read our answer under Profile → Complaints.", link: NotificationLink(complaintId: id), createdAt: now), on: db)
            }
            try await AuditLog.append(AuditEntry(actor: .admin(id: adminId), action: "complaint.\(status.rawValue)",
                                                 entityType: "complaint", entityId: id, requestId: requestID), at: now, on: db)
            guard let updated = try await ComplaintRepository.find(id: id, on: db) else { throw AppError.notFound("No such complaint.") }
            return ComplaintView(updated)
        }
    }
}

/// A complaint as the API shows it; `dueDate` is the Oslo day it must be answered by.
public struct ComplaintView: Codable, Sendable, Equatable {
    public let id: String
    public let transactionId: String?
    public let subject: String
    public let description: String
    public let status: ComplaintStatus
    public let createdAt: Date
    public let dueAt: Date
    public let dueDate: String
    public let resolvedAt: Date?
    public let resolution: String?

    init(_ record: ComplaintRecord) {
        id = record.id
        transactionId = record.transactionId
        subject = record.subject
        description = record.description
        status = record.status
        createdAt = record.createdAt
        dueAt = record.dueAt
        dueDate = OsloCalendar.day(endingAt: record.dueAt).iso
        resolvedAt = record.resolvedAt
        resolution = record.resolution
    }
}
