import Foundation

/// Reads lines from a pipe, blocking until each arrives (no polling, no sleeps).
public struct LineReader {
    let handle: FileHandle
    var buffer = Data()

    public init(handle: FileHandle) { self.handle = handle }

    /// The next line without its newline, or nil at end of input.
    public mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[(newline + 1)...])
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}
