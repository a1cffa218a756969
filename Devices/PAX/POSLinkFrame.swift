/// POSLink's control bytes (poslink.md §1.2).
public enum POSLinkControl {
    public static let stx: UInt8 = 0x02
    public static let etx: UInt8 = 0x03
    public static let eot: UInt8 = 0x04
    public static let ack: UInt8 = 0x06
    public static let nak: UInt8 = 0x15
    /// Separates the fields (groups) of a message.
    public static let fs: UInt8 = 0x1C
    /// Separates the sub-fields inside a group.
    public static let us: UInt8 = 0x1F
}

/// One POSLink message: `STX field FS field … ETX LRC`, fields being ASCII text whose
/// sub-fields are separated by US.
///
/// The LRC is the XOR of every byte after STX up to and including ETX. It can equal any
/// byte, control bytes included, so a reader must take "the one byte after ETX" and never
/// scan for control bytes there.
public struct POSLinkFrame: Equatable, Sendable, CustomStringConvertible {
    /// The top-level fields, in order. A group's sub-fields are joined with US inside its field.
    public var fields: [String]

    public init(fields: [String]) {
        self.fields = fields
    }

    /// Builds a field from sub-fields, dropping trailing empty ones (as terminals do).
    public static func group(_ subfields: [String]) -> String {
        var trimmed = subfields
        while trimmed.last == "" { trimmed.removeLast() }
        return trimmed.joined(separator: "\u{1F}")
    }

    /// The sub-fields of field `index`, or an empty array when the field is absent.
    public func subfields(_ index: Int) -> [String] {
        guard index < fields.count, !fields[index].isEmpty else { return [] }
        return fields[index].split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    }

    /// Sub-field `subindex` of field `index`, or "" when absent: terminals trim trailing
    /// sub-fields and groups, so absence is normal.
    public func value(_ index: Int, _ subindex: Int = 0) -> String {
        let values = subfields(index)
        return subindex < values.count ? values[subindex] : ""
    }

    /// STX, the fields joined by FS, ETX, LRC.
    public var bytes: [UInt8] {
        var body: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { body.append(POSLinkControl.fs) }
            body.append(contentsOf: field.utf8)
        }
        body.append(POSLinkControl.etx)
        return [POSLinkControl.stx] + body + [Self.lrc(of: body)]
    }

    /// XOR of `bytes` (which must run from the byte after STX through ETX).
    public static func lrc(of bytes: some Sequence<UInt8>) -> UInt8 {
        bytes.reduce(0, ^)
    }

    /// Fields as readable text, control bytes shown by name; card numbers never reach here
    /// because responses carry at most the last four digits (and drivers log codes only).
    public var description: String {
        fields.map { $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).joined(separator: "<US>") }.joined(separator: "<FS>")
    }
}
