import DropCore
import Foundation

/// Decodes QR images with zxing-cpp through `python3 -c`, without a shell: the test writes plain
/// PBM (P1) files and one Python process reads them all, printing one JSON line per file.
/// `decodeSVG` instead rasterizes SVG documents as served, writes them as PNG (Pillow) and
/// decodes the PNG files, as a phone camera would see a printed code.
public enum QRDecoderBridge {
    /// `DROP_REQUIRE_QR_DECODER=1` turns a missing decoder into a failure instead of a skip (for CI).
    public static let isRequired = ProcessInfo.processInfo.environment["DROP_REQUIRE_QR_DECODER"] == "1"
    public static let isAvailable: Bool = (try? runPython(["-c", "import numpy, zxingcpp"]))?.status == 0
    /// Reading PNG files needs Pillow as well.
    public static let canReadPNG: Bool = (try? runPython(["-c", "import numpy, zxingcpp, PIL"]))?.status == 0
    public static var shouldRun: Bool { isRequired || isAvailable }

    public struct Decoded: Decodable, Sendable {
        public let found: Bool
        public let bytes: String?
        public let text: String?
        public let version: Int?
        public let ecLevel: String?
        public let mask: Int?
        public let error: String?
    }

    static let script = #"""
    import json, sys
    import numpy, zxingcpp
    for path in sys.argv[1:]:
        try:
            with open(path, 'rb') as f:
                tokens = f.read().split()
            assert tokens[0] == b'P1'
            width, height = int(tokens[1]), int(tokens[2])
            pixels = numpy.frombuffer(b''.join(tokens[3:]), dtype=numpy.uint8).reshape(height, width)
            image = numpy.where(pixels == ord('1'), 0, 255).astype(numpy.uint8)
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.Plain)
            if not found:
                print(json.dumps({'found': False}))
                continue
            code = found[0]
            extra = code.extra or {}
            print(json.dumps({'found': True, 'bytes': bytes(code.bytes).hex(), 'text': code.text,
                              'version': int(extra.get('Version', 0)), 'ecLevel': extra.get('ECLevel', str(code.ec_level)),
                              'mask': int(extra.get('DataMask', -1))}))
        except Exception as error:
            print(json.dumps({'found': False, 'error': repr(error)}))
    sys.stdout.flush()
    """#

    /// Decodes each symbol; results come back in the same order.
    public static func decode(_ codes: [QRCode], pixelsPerModule: Int = 4) throws -> [Decoded] {
        try run(script, files: codes.map { pbm($0, pixelsPerModule: pixelsPerModule) }, extension: "pbm")
    }

    /// Writes each file (`<index>.<extension>`) to a scratch directory of its own, runs `script` with
    /// `arguments` and the files' paths, and reads its one JSON line per file, in order.
    private static func run(_ script: String, arguments: [String] = [], files: [String], extension ext: String) throws -> [Decoded] {
        let directory = URL(fileURLWithPath: TestScratch.path("qr"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (index, contents) in files.enumerated() {
            let url = directory.appendingPathComponent("\(index).\(ext)")
            try contents.write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
        }
        let result = try runPython(["-c", script] + arguments + paths)
        guard result.status == 0 else { throw BridgeError.pythonFailed(status: result.status, stderr: result.stderr) }
        let lines = result.stdout.split(separator: "\n")
        guard lines.count == files.count else { throw BridgeError.unexpectedOutput(result.stdout + result.stderr) }
        return try lines.map { try JSONDecoder().decode(Decoded.self, from: Data($0.utf8)) }
    }

    /// Rasterizes each SVG (its viewBox, white background, and the dark `path` of M/h/v/z
    /// commands that QR renderers draw) at `pixelsPerModule`, saves it as PNG, then decodes the
    /// PNG file read back from disk.
    static let svgScript = #"""
    import json, re, sys
    import numpy, zxingcpp
    from PIL import Image
    def rasterize(svg, scale):
        box = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
        width, height = int(box[2]), int(box[3])
        image = numpy.full((height * scale, width * scale), 255, dtype=numpy.uint8)
        for d in re.findall(r'<path[^>]* d="([^"]*)"', svg):
            x = y = start_x = start_y = 0.0
            points = []
            for command, args in re.findall(r'([MmHhVvZzLl])([^MmHhVvZzLl]*)', d):
                values = [float(v) for v in re.findall(r'-?[0-9.]+', args)]
                if command in 'Mm':
                    x, y = (values[0], values[1]) if command == 'M' else (x + values[0], y + values[1])
                    start_x, start_y = x, y
                    points = [(x, y)]
                elif command in 'Hh':
                    x = values[0] if command == 'H' else x + values[0]
                    points.append((x, y))
                elif command in 'Vv':
                    y = values[0] if command == 'V' else y + values[0]
                    points.append((x, y))
                elif command in 'Ll':
                    x, y = (values[0], values[1]) if command == 'L' else (x + values[0], y + values[1])
                    points.append((x, y))
                else:
                    # Renderers draw axis-aligned rectangles: fill the subpath's bounding box.
                    xs = [p[0] for p in points]; ys = [p[1] for p in points]
                    image[int(round(min(ys) * scale)):int(round(max(ys) * scale)), int(round(min(xs) * scale)):int(round(max(xs) * scale))] = 0
                    x, y = start_x, start_y
        return image
    scale = int(sys.argv[1])
    for path in sys.argv[2:]:
        try:
            with open(path, encoding='utf-8') as f:
                pixels = rasterize(f.read(), scale)
            png = path + '.png'
            Image.fromarray(pixels).save(png, format='PNG')
            found = zxingcpp.read_barcodes(Image.open(png), formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.Plain)
            if not found:
                print(json.dumps({'found': False}))
                continue
            code = found[0]
            print(json.dumps({'found': True, 'bytes': bytes(code.bytes).hex(), 'text': code.text}))
        except Exception as error:
            print(json.dumps({'found': False, 'error': repr(error)}))
    sys.stdout.flush()
    """#

    /// Decodes SVG documents (as served) through PNG; results come back in the same order.
    /// Python runs on a Dispatch thread: waiting for it on one of the few cooperative threads
    /// would stall every live server the other tests are talking to.
    public static func decodeSVG(_ documents: [String], pixelsPerModule: Int = 6) async throws -> [Decoded] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try decodeSVGWaiting(documents, pixelsPerModule: pixelsPerModule) })
            }
        }
    }

    private static func decodeSVGWaiting(_ documents: [String], pixelsPerModule: Int) throws -> [Decoded] {
        try run(svgScript, arguments: [String(pixelsPerModule)], files: documents, extension: "svg")
    }

    /// Plain PBM: "1" is black. Includes the quiet zone, since a reader needs it.
    static func pbm(_ code: QRCode, pixelsPerModule scale: Int) -> String {
        let modules = code.size + 2 * QRCode.quietZone
        var out = "P1\n\(modules * scale) \(modules * scale)\n"
        for moduleRow in 0..<modules {
            var line = ""
            for moduleColumn in 0..<modules {
                let dark = code.isDark(row: moduleRow - QRCode.quietZone, column: moduleColumn - QRCode.quietZone)
                line += String(repeating: dark ? "1" : "0", count: scale)
            }
            line += "\n"
            for _ in 0..<scale { out += line }
        }
        return out
    }

    enum BridgeError: Error, CustomStringConvertible {
        case pythonFailed(status: Int32, stderr: String)
        case unexpectedOutput(String)
        var description: String {
            switch self {
            case .pythonFailed(let status, let stderr): "python3 exited \(status): \(stderr.suffix(2000))"
            case .unexpectedOutput(let output): "unexpected decoder output: \(output.prefix(2000))"
            }
        }
    }

    /// Runs python3 via /usr/bin/env (no shell). Stderr goes to a file so a chatty stderr can never
    /// block the process while stdout is being read.
    private static func runPython(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdout = Pipe()
        let stderrURL = URL(fileURLWithPath: TestScratch.path("qr-stderr"))
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: stderrURL) }
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        process.standardOutput = stdout
        process.standardError = stderrHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? stderrHandle.close()
        let errors = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), errors)
    }
}
