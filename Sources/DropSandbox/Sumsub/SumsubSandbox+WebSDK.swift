import Hummingbird

/// The WebSDK stand-in: `GET /websdk?accessToken=…[&returnUrl=…]` shows the form, `POST /websdk`
/// submits the applicant for review and sends the browser back.
extension SumsubSandbox {
    private struct SubmitForm: Decodable {
        let decision: String?
        let accessToken: String?
        let returnUrl: String?
    }

    func webSDKPage(_ request: Request) async -> Response {
        let query = request.uri.queryParameters
        let returnURL = query.get("returnUrl").flatMap { $0.isEmpty ? nil : $0 }
        guard Self.isAcceptableReturnURL(returnURL) else { return Self.badReturnURLPage }
        guard let accessToken = query.get("accessToken"),
              let applicant = await store.applicant(accessToken: accessToken, at: now()) else {
            return Self.invalidTokenPage
        }
        if applicant.acceptsSubmission {
            return SumsubSandboxResponses.html(SumsubSandboxPages.verification(
                applicantName: applicant.displayName, accessToken: accessToken, returnURL: returnURL
            ))
        }
        let message = applicant.review.reviewStatus == "completed"
            ? "Your verification is complete. Nothing more is needed here."
            : "Your documents are being reviewed."
        return SumsubSandboxResponses.html(SumsubSandboxPages.status(
            title: "Verification submitted", message: message, returnURL: returnURL
        ))
    }

    func webSDKSubmit(_ request: Request) async -> Response {
        var request = request
        let form: SubmitForm
        do {
            let body = try await request.collectBody(upTo: Self.maximumRequestBytes)
            form = try URLEncodedFormDecoder().decode(SubmitForm.self, from: String(buffer: body))
        } catch {
            return SumsubSandboxResponses.html(
                SumsubSandboxPages.error(title: "Bad request", message: "The form could not be read."), status: .badRequest
            )
        }
        guard form.decision == "submit" else {
            return SumsubSandboxResponses.html(
                SumsubSandboxPages.error(title: "Bad request", message: "Unknown decision."), status: .badRequest
            )
        }
        let returnURL = form.returnUrl.flatMap { $0.isEmpty ? nil : $0 }
        guard Self.isAcceptableReturnURL(returnURL) else { return Self.badReturnURLPage }
        do {
            _ = try await store.submit(accessToken: form.accessToken ?? "", at: now())
        } catch SumsubSandboxStoreError.invalidAccessToken {
            return Self.invalidTokenPage
        } catch SumsubSandboxStoreError.submissionNotAccepted {
            return SumsubSandboxResponses.html(SumsubSandboxPages.error(
                title: "Already submitted", message: "This verification has already been submitted."
            ), status: .conflict)
        } catch {
            logger.error("sumsub sandbox failed", metadata: ["error": "\(error)"])
            return SumsubSandboxResponses.html(
                SumsubSandboxPages.error(title: "Something went wrong", message: "Please try again."),
                status: .internalServerError
            )
        }
        await deliverIfConfigured()
        if let returnURL { return SumsubSandboxResponses.seeOther(returnURL) }
        return SumsubSandboxResponses.html(SumsubSandboxPages.status(
            title: "Verification submitted", message: "Thank you. You can close this page.", returnURL: nil
        ))
    }

    /// An absolute http(s) URL or a path on the same site; never `//host` or `javascript:`.
    static func isAcceptableReturnURL(_ url: String?) -> Bool {
        guard let url else { return true }
        guard !url.contains(where: { $0.isWhitespace || $0 == "\\" }) else { return false }
        for scheme in ["https://", "http://"] where url.hasPrefix(scheme) {
            let rest = url.dropFirst(scheme.count)
            return !rest.isEmpty && !rest.hasPrefix("/")
        }
        return url.hasPrefix("/") && !url.hasPrefix("//")
    }

    private static var invalidTokenPage: Response {
        SumsubSandboxResponses.html(SumsubSandboxPages.error(
            title: "Link not valid", message: "This verification link is not valid or has expired. Please start again from Drop."
        ), status: .forbidden)
    }

    private static var badReturnURLPage: Response {
        SumsubSandboxResponses.html(SumsubSandboxPages.error(
            title: "Bad request", message: "The return address must be an http(s) URL or a path."
        ), status: .badRequest)
    }
}
