import DropKit
import Foundation

/// Links banks and approves payments at the bank sandbox the way a browser does.
extension LiveServer {
    /// Links `bank` for the signed-in user the way a browser does: Drop → the bank's SCA page,
    /// signed in as `nationalId` → Drop's callback. Returns the callback's redirect.
    func connectBank(_ bank: String, auth: (String, String), as nationalId: String, decision: String = "approve") async throws -> Reply {
        let started = try await postJSON("/v1/bank-accounts/connect", #"{"bank":"\#(bank)"}"#, headers: [auth])
        guard started.status == 201, let sca = (try? started.decode(BankConnectStarted.self))?.scaRedirect.absoluteString else {
            throw DriverError("connect answered \(started.status): \(started.body)")
        }
        let back = try await approveAtBank(sca, as: nationalId, decision: decision)
        guard back.status == 302, let callback = back.location else { throw DriverError("bank answered \(back.status): \(back.body)") }
        return try await get(callback)
    }

    /// Submits the bank's SCA form (consent or payment) signed in as `nationalId`.
    func approveAtBank(_ scaURL: String, as nationalId: String, decision: String = "approve") async throws -> Reply {
        let page = try await get(scaURL)
        guard page.status == 200, let form = HTMLForm(html: page.body) else { throw DriverError("SCA page answered \(page.status)") }
        let target = form.action.isEmpty ? scaURL : (form.action.hasPrefix("http") ? form.action : baseURL + form.action)
        let fields = form.fields.filter { $0.0 != "nationalId" } + [("nationalId", nationalId), ("decision", decision)]
        return try await postForm(target, fields)
    }
}
