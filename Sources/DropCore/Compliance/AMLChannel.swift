/// How the money leaves, as AML sees it: the transaction's kind. Velocity and structuring count both
/// (money moved is money moved, however it is split); the pattern rules (`UnusualAmountRule`,
/// `UnusualCountryRule`) compare a payment with its own channel only.
public typealias AMLChannel = TransactionKind
