#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import DropFuzzChecks

/// Which parser this process fuzzes: `DROP_FUZZ_TARGET` (see `CoreFuzzTarget` for the names),
/// read once; libFuzzer owns `main` and calls the entry point below for every input.
nonisolated(unsafe) private var selected: CoreFuzzTarget?

private func target() -> CoreFuzzTarget {
    if let selected { return selected }
    let name = getenv("DROP_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let chosen = CoreFuzzTarget(rawValue: name) else {
        fatalError("DROP_FUZZ_TARGET must be one of \(CoreFuzzTarget.allCases.map(\.rawValue)), not '\(name)'")
    }
    selected = chosen
    return chosen
}

/// A broken property is a crash, so libFuzzer keeps the input as `crash-…` and stops.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try target().check(bytes)
    } catch {
        fatalError("property broken: \(error)")
    }
    return 0
}

/// SwiftPM links an executable's `main` to `drop_fuzz_main` (the module's entry point), which
/// would hide libFuzzer's own `main`; so this entry point hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("drop_fuzz_main")
public func dropFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, fuzzOneInput)
}
