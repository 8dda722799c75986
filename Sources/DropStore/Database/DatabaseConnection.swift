import SQLKit

/// What repositories run their statements on: a pooled connection (`Database.withConnection`) or
/// an open transaction (`Database.transaction`). Named here so callers need not import SQLKit.
public typealias DatabaseConnection = any SQLDatabase
