/// What `POST /v1/admin/users/search` takes: `name` or `nationalId`, exactly one. A body, so that a
/// national identity number never stands in a URL.
struct AdminUserLookup: Decodable, Sendable {
    let name: String?
    let nationalId: String?
}
