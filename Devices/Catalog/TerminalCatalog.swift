import Terminal

/// A terminal posplus recognises by its USB ids, and how to talk to it.
public struct KnownTerminal: Equatable, Sendable {
    public var vendorID: UInt16
    public var productID: UInt16
    /// What staff would call it.
    public var name: String
    /// The driver family that speaks to it (the CLI maps "pax" to the POSLink driver).
    public var family: String
    public var baudRate: Int
    /// How sure we are of this entry, and where it comes from.
    public var note: String

    public init(vendorID: UInt16, productID: UInt16, name: String, family: String, baudRate: Int = 9600, note: String) {
        self.vendorID = vendorID
        self.productID = productID
        self.name = name
        self.family = family
        self.baudRate = baudRate
        self.note = note
    }
}

/// The USB ids of terminals posplus knows. Plain data handed to discovery, never a global
/// registry. Sources are in each note (poslink.md §4.1); unconfirmed ids say so.
public struct TerminalCatalog: Sendable {
    public var entries: [KnownTerminal]

    public init(entries: [KnownTerminal]) {
        self.entries = entries
    }

    public static let standard = TerminalCatalog(entries: [
        KnownTerminal(
            vendorID: 0x1A86, productID: 0x7523, name: "PAX terminal (CH340 USB-serial)", family: "pax",
            note:
                "CH340 bridge seen on PAX IM30 integrations; 9600 8N1. Other devices use this chip too: confirm with `posplus terminals ping`."
        ),
        KnownTerminal(
            vendorID: 0x9908, productID: 0x9030, name: "PAX terminal (CDC mode)", family: "pax",
            note: "Unconfirmed: seen in one public source only."),
        KnownTerminal(
            vendorID: 0x1234, productID: 0x0101, name: "PAX terminal", family: "pax",
            note: "Unconfirmed: 1234 is a generic test vendor id; seen in one public source only."),
    ])

    /// The entry for a device, if its ids are known.
    public func match(_ device: USBDevice) -> KnownTerminal? {
        entries.first { $0.vendorID == device.vendorID && $0.productID == device.productID }
    }
}

/// A terminal found on USB: the device, what the catalog says it is, and its serial port
/// when a kernel driver made one.
public struct DiscoveredTerminal: Equatable, Sendable {
    public var device: USBDevice
    public var known: KnownTerminal
    /// `/dev/ttyUSB0` or `/dev/ttyACM0`; nil when no kernel serial driver owns the device.
    public var ttyPath: String?
}

/// Finds known terminals among the USB devices present.
public struct TerminalDiscovery: Sendable {
    public var catalog: TerminalCatalog
    public var sysfs: SysfsUSB

    public init(catalog: TerminalCatalog = .standard, sysfs: SysfsUSB = SysfsUSB()) {
        self.catalog = catalog
        self.sysfs = sysfs
    }

    /// Matches `devices` (from ``USBEnumerator``) against the catalog, in bus order.
    public func terminals(among devices: [USBDevice]) -> [DiscoveredTerminal] {
        devices.compactMap { device in
            catalog.match(device).map { DiscoveredTerminal(device: device, known: $0, ttyPath: sysfs.ttyPath(of: device)) }
        }
        .sorted {
            $0.device.bus != $1.device.bus
                ? $0.device.bus < $1.device.bus : $0.device.portPath.lexicographicallyPrecedes($1.device.portPath)
        }
    }

    /// Enumerates with libusb and matches. An absent USB bus gives an empty list.
    public func scan() throws(USBError) -> [DiscoveredTerminal] {
        terminals(among: try USBEnumerator(sysfs: sysfs).devices())
    }
}
