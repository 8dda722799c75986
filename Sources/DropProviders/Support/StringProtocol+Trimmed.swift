extension StringProtocol {
    /// Without leading and trailing whitespace; avoids pulling in Foundation for one call.
    func trimmingSurroundingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
