import CLibUSB

/// Lists USB devices through libusb.
///
/// A machine (or container) with no USB bus at all is not an error: libusb initialises and
/// reports no devices, and so does this. The serial number comes from sysfs, because
/// reading the string descriptor would mean opening (and possibly disturbing) the device.
public struct USBEnumerator: Sendable {
    public var sysfs: SysfsUSB

    public init(sysfs: SysfsUSB = SysfsUSB()) {
        self.sysfs = sysfs
    }

    /// Every device libusb can see now.
    public func devices() throws(USBError) -> [USBDevice] {
        let context = try LibUSBContext()
        return try context.devices(sysfs: sysfs)
    }
}

/// Why USB discovery failed (an absent bus is not one of these).
public enum USBError: Error, Equatable, Sendable, CustomStringConvertible {
    case libusb(call: String, code: Int32)

    public var description: String {
        switch self {
        case .libusb(let call, let code):
            let name = libusb_error_name(code).map { String(cString: $0) } ?? "\(code)"
            return "libusb \(call) failed: \(name)"
        }
    }
}

/// One libusb context, created and exited together (a context is tied to the udev view that
/// existed when it was made, so discovery makes a fresh one each time).
final class LibUSBContext: @unchecked Sendable {
    let context: OpaquePointer

    init() throws(USBError) {
        var context: OpaquePointer?
        let status = libusb_init(&context)
        guard status == 0, let context else { throw .libusb(call: "init", code: status) }
        self.context = context
    }

    deinit { libusb_exit(context) }

    func devices(sysfs: SysfsUSB) throws(USBError) -> [USBDevice] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        guard count >= 0 else { throw .libusb(call: "get_device_list", code: Int32(count)) }
        defer { libusb_free_device_list(list, 1) }
        var found: [USBDevice] = []
        for index in 0..<Int(count) {
            guard let device = list?[index], var usb = Self.describe(device) else { continue }
            usb.serialNumber = sysfs.serialNumber(of: usb)
            found.append(usb)
        }
        return found
    }

    /// Ids and location of one libusb device; nil for a device whose descriptor cannot be read.
    static func describe(_ device: OpaquePointer) -> USBDevice? {
        var descriptor = libusb_device_descriptor()
        guard libusb_get_device_descriptor(device, &descriptor) == 0 else { return nil }
        var ports = [UInt8](repeating: 0, count: 8)
        let depth = libusb_get_port_numbers(device, &ports, Int32(ports.count))
        return USBDevice(
            vendorID: descriptor.idVendor, productID: descriptor.idProduct, bus: libusb_get_bus_number(device),
            address: libusb_get_device_address(device), portPath: Array(ports.prefix(Int(max(depth, 0)))))
    }
}
