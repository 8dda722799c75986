import DropCore

/// A standing order Drop asks the user's bank for (NextGenPSD2 periodic payment): the payment's
/// terms once, and the schedule the bank pays them on.
public struct OpenBankingPeriodicPayment: Sendable, Hashable {
    public var payment: OpenBankingPayment
    public var schedule: StandingOrderSchedule

    public init(payment: OpenBankingPayment, schedule: StandingOrderSchedule) {
        self.payment = payment
        self.schedule = schedule
    }
}

/// A standing order as the bank reports it: its status and the payments it has made.
public struct OpenBankingPeriodicPaymentReport: Sendable, Hashable {
    /// RCVD (awaiting approval), ACTC (live), RJCT, CANC.
    public let transactionStatus: String
    public let statusReason: String?
    public let executions: [OpenBankingExecution]

    public init(transactionStatus: String, statusReason: String?, executions: [OpenBankingExecution]) {
        self.transactionStatus = transactionStatus
        self.statusReason = statusReason
        self.executions = executions
    }
}

/// One payment a standing order made on a due day.
public struct OpenBankingExecution: Sendable, Hashable {
    /// The bank's id for this execution, unique within the order.
    public let id: String
    public let executionDate: CalendarDate
    /// The bank's end-to-end id of the credit transfer it made: it reaches the creditor.
    public let endToEndIdentification: String
    /// ACSC when the debtor was debited; RJCT (reason AM04) when the money wasn't there.
    public let transactionStatus: String
    public let statusReason: String?
    public let amount: Money

    public init(id: String, executionDate: CalendarDate, endToEndIdentification: String, transactionStatus: String, statusReason: String?, amount: Money) {
        self.id = id
        self.executionDate = executionDate
        self.endToEndIdentification = endToEndIdentification
        self.transactionStatus = transactionStatus
        self.statusReason = statusReason
        self.amount = amount
    }

    public var isSettled: Bool { ["ACSC", "ACCC"].contains(transactionStatus) }
    /// The bank did not make it (no money, or cancelled before the day). Any other status is a
    /// payment still in progress: not an outcome yet.
    public var isRefused: Bool { ["RJCT", "CANC"].contains(transactionStatus) }

    /// Reads one execution from the bank's JSON (the details read's `executions`, or a webhook).
    public init?(json: [String: Any]) {
        guard let id = json["executionId"] as? String, !id.isEmpty, id.count <= 100,
              let day = (json["executionDate"] as? String).flatMap({ try? CalendarDate(iso: $0) }),
              let endToEnd = json["endToEndIdentification"] as? String, EndToEndId.isValid(endToEnd),
              let status = json["transactionStatus"] as? String,
              let instructed = json["instructedAmount"] as? [String: Any], let code = instructed["currency"] as? String,
              let currency = Currency(rawValue: code), let text = instructed["amount"] as? String,
              // A payment moves a positive amount; a zero or negative one is no report of a payment.
              let amount = try? Money(decimalString: text, currency: currency), amount.minorUnits > 0 else { return nil }
        self.init(id: id, executionDate: day, endToEndIdentification: endToEnd, transactionStatus: status,
                  statusReason: (json["statusReasonInformation"] as? String).flatMap(OpenBankingPaymentStatus.reasonCode), amount: amount)
    }
}
