// `GET /v1/balance` is written by hand (`JSONWriter`): the same bytes as `JSON.encoder`, keys in
// its sorted order. A new field goes in both places; `JSONWriterTests` fails while it is only in one.

extension BalanceView: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.key("accounts")
            $0.array(accounts) { account, json in json.value(account) }
            $0.key("stale")
            $0.bool(stale)
            $0.member("syncedAt", syncedAt)
            $0.member("total", total)
        }
    }
}

extension BankAccountView: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.member("balance", balance)
            $0.member("balanceSyncedAt", balanceSyncedAt)
            $0.member("bank", bank)
            $0.member("bban", bban)
            $0.member("currency", currency)
            $0.member("iban", iban)
            $0.member("id", id)
            $0.member("name", name)
            $0.key("stale")
            $0.bool(stale)
            $0.member("status", status)
        }
    }
}

extension BankAccountView.BankRef: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.member("id", id)
            $0.member("name", name)
        }
    }
}
