/// A square of modules, row-major, `true` = dark. Rows and columns count from the top-left.
struct QRModuleGrid: Sendable, Hashable {
    let size: Int
    private(set) var modules: [Bool]

    init(size: Int) {
        self.size = size
        modules = [Bool](repeating: false, count: size * size)
    }

    /// Builds a grid from rows of "1"/"0" (other characters are ignored), for tests and fixtures.
    init(rows: [String]) {
        let bits = rows.map { row in row.compactMap { $0 == "1" ? true : $0 == "0" ? false : nil } }
        precondition(bits.allSatisfy { $0.count == bits.count }, "grid rows must form a square")
        size = bits.count
        modules = bits.flatMap { $0 }
    }

    subscript(row: Int, column: Int) -> Bool {
        get { modules[row * size + column] }
        set { modules[row * size + column] = newValue }
    }

    func row(_ index: Int) -> ArraySlice<Bool> { modules[index * size..<(index + 1) * size] }

    func column(_ index: Int) -> [Bool] { (0..<size).map { self[$0, index] } }
}
