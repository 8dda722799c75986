import NIOCore

// `GET /v1/me`, which the app reads at every launch, is written by hand (`JSONWriter`, ADR 0020): the same
// bytes as `JSON.encoder`, keys in its sorted order. A new field goes in both places; `JSONWriterTests`
// fails while it is only in one.

extension UserView: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.member("birthdate", birthdate)
            $0.member("createdAt", createdAt)
            $0.member("email", email)
            $0.member("emailVerified", emailVerified)
            $0.member("familyName", familyName)
            $0.member("givenName", givenName)
            $0.member("id", id)
            $0.member("kycStatus", kycStatus)
            $0.member("locale", locale)
            $0.member("name", name)
            $0.member("phone", phone)
            $0.member("role", role)
        }
    }

    /// The answer of `GET` and `PATCH /v1/me`.
    var json: ByteBuffer { JSONWriter.encode(self, capacity: 512) }
}
