import DropAPI
import Foundation
import Hummingbird

/// Scan/Pay: the camera page and the pasted-link form, both ending on the shop's pay page.
extension WebFeature {
    func addScanRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/scan") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            guard let link = request.uri.queryParameters.get("link") else {
                return Self.html(ScanPage.render(viewer, link: nil, error: nil))
            }
            if let path = PaymentLinkTarget.path(for: link, publicBaseURL: services.publicBaseURL.url) {
                return Self.redirect(path)
            }
            let error = viewer.strings[link.trimmingCharacters(in: .whitespaces).isEmpty ? "scan.error.empty" : "scan.error.foreign"]
            return Self.html(ScanPage.render(viewer, link: link, error: error), status: .unprocessableContent)
        }
    }
}
