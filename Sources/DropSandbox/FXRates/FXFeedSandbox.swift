import Foundation
import Hummingbird
import Logging

/// Simulates Norges Bank's open-data SDMX API for exchange rates (docs/protocols.md §8), so Drop's
/// real FX client can be pointed at it over HTTP.
///
/// Serves `GET {mount}/api/data/EXR/{FREQ}.{BASE_CUR}.NOK.SP?format=csv` with `lastNObservations`,
/// `startPeriod`, `endPeriod` (and `locale`, accepted). Values are deterministic per currency and
/// business day; "today" comes from `now`, so tests pick a Saturday and get Friday's rates.
///
/// Mount: `FXFeedSandbox(now: { Date() }).addRoutes(to: router.group("sandbox/fx"))`.
/// Misbehave: `sandbox.faults.fault = .unavailable`, `sandbox.faults.failNext(2, with: .serverError)`.
public struct FXFeedSandbox: Sendable {
    /// Switches for failure modes; shared by reference, so flipping it affects the mounted routes.
    public let faults: SandboxFaultControl
    private let now: @Sendable () -> Date
    private let calendar: NorwegianBusinessCalendar
    private let series: ReferenceRateSeries
    private let logger: Logger

    public init(
        now: @escaping @Sendable () -> Date = { Date() },
        faults: SandboxFaultControl = SandboxFaultControl(),
        logger: Logger = Logger(label: "drop.sandbox.fx")
    ) {
        self.now = now
        self.faults = faults
        self.logger = logger
        let calendar = NorwegianBusinessCalendar()
        self.calendar = calendar
        self.series = ReferenceRateSeries(calendar: calendar, model: ReferenceRateModel())
    }

    /// The currency codes the sandbox publishes, sorted.
    public var currencyCodes: [String] { ReferenceCurrency.catalogue.map(\.code).sorted() }

    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.get("api/data/EXR/:key") { request, context -> Response in
            await respond(key: context.parameters.get("key") ?? "", parameter: { request.uri.queryParameters.get($0) })
        }
    }

    /// The whole answer for one request; internal so tests can call it without a server.
    func respond(key: String, parameter: (String) -> String?) async -> Response {
        switch faults.nextFault() {
        case .unavailable:
            return Self.errorResponse(.unavailable(), retryAfterSeconds: 1)
        case .serverError, .lostAnswer:
            // Reading rates changes nothing, so a lost answer is just an error.
            return Self.errorResponse(.internalError())
        case .delay(let duration), .lateAnswer(let duration):
            // Reading rates changes nothing, so answering late is just being slow.
            try? await Task.sleep(for: duration)
        case .unauthorized:
            return Self.errorResponse(SDMXError(httpStatus: 401, sdmxCode: 110, text: "Unauthorized"))
        case .conflict:
            return Self.errorResponse(SDMXError(httpStatus: 409, sdmxCode: 500, text: "Conflict"))
        case .garbage:
            let truncated = SDMXCSVWriter.header + "\nB;Business;USD;US dollar;NOK;Norwegian kr"
            return Self.csvResponse(truncated)
        case nil, .groupStatusOnly, .paymentGroupStatusOnly, .payeeVerificationGroupStatus, .cancellationNeedsAuthorisation, .refusedSubmission,
             .misreport:
            break
        }
        do {
            let query = try SDMXDataQuery.parse(key: key, parameter: parameter)
            let observations = try series.observations(for: query, latestPublished: calendar.latestPublishedDay(at: now()))
            logger.debug("fx sandbox answered", metadata: ["key": "\(key)", "observations": "\(observations.count)"])
            return Self.csvResponse(SDMXCSVWriter().csv(observations))
        } catch {
            logger.debug("fx sandbox refused", metadata: ["key": "\(key)", "status": "\(error.httpStatus)"])
            return Self.errorResponse(error)
        }
    }

    private static func csvResponse(_ text: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    private static func errorResponse(_ error: SDMXError, retryAfterSeconds: Int? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/xml; charset=utf-8"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(
            status: HTTPResponse.Status(code: error.httpStatus),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: error.xml))
        )
    }
}
