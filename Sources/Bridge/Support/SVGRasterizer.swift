import Foundation
import Synchronization

/// Why an SVG could not be made a PNG, in words for the person who asked.
public enum SVGRasterizerError: Error, Equatable, CustomStringConvertible {
    /// The converter is not on `PATH` (nor named by the override variable).
    case toolMissing(tool: String, searched: String)
    /// The override variable names a file that is not an executable.
    case overrideNotExecutable(variable: String, path: String)
    case toolFailed(tool: String, status: Int32, stderr: String)
    case timedOut(tool: String, seconds: Int)
    /// The converter said it succeeded, but what it wrote does not start like a PNG.
    case notAPNG(tool: String)
    case notWritten(path: String, why: String)

    public var description: String {
        switch self {
        case .toolMissing(let tool, let searched):
            return "A PNG needs \(tool), which is not installed (looked in PATH: \(searched.isEmpty ? "empty" : searched)). "
                + "Install it with `apt-get install librsvg2-bin`, or set \(SVGRasterizer.overrideVariable) to its path; --svg needs nothing."
        case .overrideNotExecutable(let variable, let path):
            return "\(variable) is \(path), which is not an executable file: point it at rsvg-convert, or unset it to use PATH."
        case .toolFailed(let tool, let status, let stderr):
            return "\(tool) could not draw the chart (exit status \(status))\(stderr.isEmpty ? "." : ": \(stderr)")"
        case .timedOut(let tool, let seconds):
            return "\(tool) did not finish the chart within \(seconds) s and was stopped."
        case .notAPNG(let tool):
            return "\(tool) exited without error but did not write a PNG."
        case .notWritten(let path, let why):
            return "The chart could not be written to \(path): \(why)"
        }
    }
}

/// Draws an SVG as a PNG of the same size with librsvg's `rsvg-convert` (Debian's
/// `librsvg2-bin`), run as a subprocess: the SVG goes in on its standard input, the PNG is
/// written to a temporary file beside the destination and renamed over it, so a reader never
/// sees half a picture and a failure leaves any earlier file as it was.
///
/// A subprocess rather than a library: the chart is one small file a command asks for now and
/// then, and linking librsvg (GLib, Cairo, Pango) into every posplus binary for it would cost
/// more than it saves. Text is drawn with what fontconfig finds for the SVG's `sans-serif`
/// (DejaVu Sans on Debian, `fonts-dejavu-core`, which `make deps` installs).
public struct SVGRasterizer: Sendable {
    public static let toolName = "rsvg-convert"
    /// A path to the converter, used instead of searching `PATH`.
    public static let overrideVariable = "POSPLUS_RSVG_CONVERT"

    let environment: [String: String]
    /// How long the converter may take before it is stopped: the forecast chart takes it a
    /// few milliseconds, so anything near this is a hung process, not a slow one.
    public var timeout: Duration = .seconds(20)

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The converter's path: the override variable's, or the first executable `rsvg-convert`
    /// in `PATH`. Asked before any work, so a missing tool is said before anything is read.
    public func tool() throws(SVGRasterizerError) -> String {
        let files = FileManager.default
        if let path = environment[Self.overrideVariable], !path.isEmpty {
            guard files.isExecutableFile(atPath: path) else {
                throw .overrideNotExecutable(variable: Self.overrideVariable, path: path)
            }
            return path
        }
        let searched = environment["PATH"] ?? ""
        for folder in searched.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(Self.toolName).path
            var isFolder: ObjCBool = false
            if files.fileExists(atPath: candidate, isDirectory: &isFolder), !isFolder.boolValue, files.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw .toolMissing(tool: Self.toolName, searched: searched)
    }

    /// Writes `svg` as a PNG at `path`, replacing what was there only once the PNG is whole.
    public func writePNG(svg: String, to path: String) async throws(SVGRasterizerError) {
        let tool = try tool()
        let destination = URL(fileURLWithPath: path)
        let folder = destination.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw .notWritten(path: path, why: "there is no folder \(folder)")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw .notWritten(path: path, why: "the folder \(folder) cannot be written to")
        }
        let temporary = URL(fileURLWithPath: folder).appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        let timeout = timeout
        let outcome = await Self.onOwnThread { () -> Result<Void, SVGRasterizerError> in
            do throws(SVGRasterizerError) {
                try Self.convert(Data(svg.utf8), tool: tool, output: temporary.path, timeout: timeout)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        do throws(SVGRasterizerError) {
            try outcome.get()
            guard rename(temporary.path, destination.path) == 0 else {
                throw .notWritten(path: path, why: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Runs the converter to completion or until `timeout`, blocking the calling thread.
    static func convert(_ svg: Data, tool: String, output: String, timeout: Duration) throws(SVGRasterizerError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format", "png", "--output", output]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch {
            throw .toolFailed(tool: toolName, status: -1, stderr: error.localizedDescription)
        }
        // Fed and drained on threads of their own: a converter that stops reading, or writes
        // a lot to stderr, cannot block this one past the timeout. (SIGPIPE is ignored by
        // posplus, so a converter that exits early makes the write fail, not the process die.)
        Thread.detachNewThread {
            try? input.fileHandleForWriting.write(contentsOf: svg)
            try? input.fileHandleForWriting.close()
        }
        let said = Mutex<Data>(Data())
        let drained = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            said.withLock { $0 = data }
            drained.signal()
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        if exited.wait(timeout: .now() + seconds) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
            throw .timedOut(tool: toolName, seconds: Int(timeout.components.seconds))
        }
        _ = drained.wait(timeout: .now() + 2)
        let status = process.terminationStatus
        guard process.terminationReason == .exit, status == 0 else {
            let text = String(decoding: said.withLock { $0 }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .toolFailed(tool: toolName, status: status, stderr: String(text.prefix(400)))
        }
        guard let handle = FileHandle(forReadingAtPath: output) else { throw .notAPNG(tool: toolName) }
        defer { try? handle.close() }
        guard (try? handle.read(upToCount: 8)) == Data(pngSignature) else { throw .notAPNG(tool: toolName) }
    }

    /// The eight bytes every PNG starts with (PNG specification, section 5.2).
    public static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    private static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
