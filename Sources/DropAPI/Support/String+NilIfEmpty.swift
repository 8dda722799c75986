extension String {
    /// nil for "", so an empty query parameter, form field or variable means "not given".
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
