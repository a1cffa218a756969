/// A USB device as discovery sees it: ids, where it is plugged, and its serial number.
public struct USBDevice: Hashable, Sendable, CustomStringConvertible {
    public var vendorID: UInt16
    public var productID: UInt16
    public var bus: UInt8
    public var address: UInt8
    /// Ports from the root hub down (`[2, 4]` is port 4 of the hub on port 2).
    public var portPath: [UInt8]
    public var serialNumber: String?

    public init(vendorID: UInt16, productID: UInt16, bus: UInt8, address: UInt8, portPath: [UInt8], serialNumber: String? = nil) {
        self.vendorID = vendorID
        self.productID = productID
        self.bus = bus
        self.address = address
        self.portPath = portPath
        self.serialNumber = serialNumber
    }

    /// The kernel's name for the device under /sys/bus/usb/devices (`1-3`, `1-2.4`).
    public var sysfsName: String {
        "\(bus)-" + portPath.map(String.init).joined(separator: ".")
    }

    /// "1a86:7523": how `lsusb` and the catalog write the ids.
    public var ids: String { Self.hex(vendorID) + ":" + Self.hex(productID) }

    /// A name that survives re-plugging into the same port (the address changes; the port
    /// path does not), used to recognise "the same terminal is back".
    public var stableKey: String { "\(ids)@\(sysfsName)" + (serialNumber.map { "#\($0)" } ?? "") }

    public var description: String { "\(ids) on bus \(bus) port \(portPath.map(String.init).joined(separator: "."))" }

    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
