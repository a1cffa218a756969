import Foundation

/// What a PNG file says about itself in its first 24 bytes: the 8-byte signature, then the
/// IHDR chunk (length, "IHDR", width, height as big-endian 32-bit numbers), PNG specification
/// sections 5.2 and 11.2.2. Nil for anything that does not start like a PNG.
public struct PNGHeader: Equatable, Sendable {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public var width: UInt32
    public var height: UInt32

    public init(width: UInt32, height: UInt32) {
        self.width = width
        self.height = height
    }

    public init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, Array(bytes[0..<8]) == Self.signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func number(at offset: Int) -> UInt32 { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        width = number(at: 16)
        height = number(at: 20)
    }

    /// The `width` and `height` attributes of an SVG's root element, as our charts write them.
    public init?(svgSize svg: String) {
        guard let root = svg.range(of: "<svg ").map({ svg[$0.upperBound...].prefix { $0 != ">" } }) else { return nil }
        func attribute(_ name: String) -> UInt32? {
            guard let start = root.range(of: " \(name)=\"") else { return nil }
            return UInt32(root[start.upperBound...].prefix { $0 != "\"" })
        }
        guard let width = attribute("width"), let height = attribute("height") else { return nil }
        self.init(width: width, height: height)
    }
}
