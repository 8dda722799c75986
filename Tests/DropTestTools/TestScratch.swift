import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where tests put their files (Drop's data directories, keys, sandbox state): one directory per
/// test process, `$TMPDIR/drop-tests/run-<pid>`, removed when the process exits. A run that died
/// (killed, timed out) leaves its directory behind, and the next run removes it. So a test never
/// cleans up after itself, and one that fails half way leaks nothing.
public enum TestScratch {
    /// This process's scratch directory, made on first use.
    public static let root: String = {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("drop-tests").path
        removeLeftovers(in: base)
        let mine = "\(base)/run-\(getpid())"
        try? FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestScratch.root) }
        return mine
    }()

    /// A path for a new file or directory, `<prefix>-<uuid>` in this process's scratch directory;
    /// nothing is created there.
    public static func path(_ prefix: String) -> String {
        "\(root)/\(prefix)-\(UUID().uuidString)"
    }

    /// Removes the scratch directories of test processes that are gone.
    private static func removeLeftovers(in base: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        for name in names where name.hasPrefix("run-") {
            guard let pid = pid_t(name.dropFirst(4)), pid != getpid() else { continue }
            // kill(pid, 0) fails with ESRCH only when no such process exists.
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: "\(base)/\(name)")
            }
        }
    }
}
