import DropCore

// The newest page of `GET /v1/transactions` is written by hand (`JSONWriter`): the same bytes as
// `JSON.encoder`, keys in its sorted order. A new field goes in both places; `JSONWriterTests` fails
// while it is only in one.

extension TransactionView: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.member("amount", amount)
            $0.member("bankAccountId", bankAccountId)
            $0.member("completedAt", completedAt)
            $0.member("createdAt", createdAt)
            $0.member("endToEndId", endToEndId)
            $0.member("failureReason", failureReason)
            $0.member("fee", fee)
            if let history {
                $0.key("history")
                $0.array(history) { entry, json in json.value(entry) }
            }
            $0.member("id", id)
            $0.member("kind", kind)
            $0.member("merchant", merchant)
            $0.member("merchantId", merchantId)
            $0.member("message", message)
            $0.member("moneyReturn", moneyReturn)
            $0.member("paymentLinkSigned", paymentLinkSigned)
            $0.member("rate", rate)
            $0.member("receive", receive)
            $0.member("recipient", recipient)
            $0.member("reference", reference)
            $0.member("scaRedirect", scaRedirect)
            $0.member("settledAfterEndAt", settledAfterEndAt)
            $0.member("standingOrderId", standingOrderId)
            $0.member("status", status)
            $0.member("total", total)
            $0.member("updatedAt", updatedAt)
        }
    }
}

extension TransactionView.RecipientRef: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.member("country", country)
            $0.member("id", id)
            $0.member("name", name)
        }
    }
}

extension TransactionView.MerchantRef: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.member("city", city)
            $0.member("code", code)
            $0.member("id", id)
            $0.member("name", name)
        }
    }
}

extension TransactionView.MoneyReturn: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.member("requestedAt", requestedAt)
            $0.member("returnedAt", returnedAt)
            $0.member("status", status)
        }
    }
}

extension TransactionView.HistoryEntry: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.member("at", at)
            $0.member("reason", reason)
            $0.member("status", status)
        }
    }
}
