import DropAPI
import Foundation
import Hummingbird

/// The answer of a form that sends the person on. Chromium and WebKit check CSP `form-action` on
/// every redirect a form's answer starts, and Drop's is `'self'`: a 303 to the bank's approval
/// page (or to Drop's BankID start, which sends on to BankID) would be refused. Such a form
/// answers with a page of its own instead (`HandOffPage`); one on Drop keeps its 303.
extension WebFeature {
    static func handOff(to location: String, _ destination: HandOffPage.Destination, _ request: Request, _ services: AppServices) -> Response {
        guard leavesDrop(location, publicBaseURL: services.publicBaseURL.url) else { return redirect(location) }
        return html(HandOffPage.render(Strings(language(of: request)), to: location, destination))
    }

    /// Whether following `location` ends on another origin: another scheme, host or port than Drop's,
    /// or Drop's own BankID start, which redirects on to BankID.
    static func leavesDrop(_ location: String, publicBaseURL: String) -> Bool {
        guard let target = URLComponents(string: location) else { return true }
        if target.scheme != nil || target.host != nil {
            guard let own = URLComponents(string: publicBaseURL) else { return true }
            func origin(_ url: URLComponents) -> [String?] { [url.scheme?.lowercased(), url.host?.lowercased(), url.port.map(String.init)] }
            if origin(target) != origin(own) { return true }
        } else if !location.hasPrefix("/") || location.hasPrefix("//") {
            return true
        }
        return target.path.hasPrefix("/v1/auth/bankid/")
    }
}
