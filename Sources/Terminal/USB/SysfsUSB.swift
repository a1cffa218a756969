import Foundation

/// What the kernel says about USB devices under /sys: serial numbers, and which tty a
/// kernel serial driver made of a device (`cdc_acm` → ttyACM*, `ch341`/`ftdi_sio` → ttyUSB*).
///
/// The root is a parameter so tests run against a fake tree in a temporary folder.
public struct SysfsUSB: Sendable {
    public var root: String

    public init(root: String = "/sys") {
        self.root = root
    }

    var devicesFolder: String { root + "/bus/usb/devices" }

    /// The device's `serial` attribute, if it has one.
    public func serialNumber(of device: USBDevice) -> String? {
        let path = devicesFolder + "/" + device.sysfsName + "/serial"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `/dev/ttyUSB0` or `/dev/ttyACM0` when a kernel serial driver owns one of the device's
    /// interfaces; nil when none does (a vendor-class device, or no driver loaded).
    ///
    /// Layouts the kernel uses, both handled:
    /// - usb-serial (CH340, FTDI, PL2303): `1-3/1-3:1.0/ttyUSB0/`
    /// - cdc_acm: `1-3/1-3:1.0/tty/ttyACM0/`
    public func ttyPath(of device: USBDevice) -> String? {
        let folder = devicesFolder + "/" + device.sysfsName
        let fileManager = FileManager.default
        guard let entries = try? fileManager.contentsOfDirectory(atPath: folder) else { return nil }
        for interface in entries.sorted() where interface.hasPrefix(device.sysfsName + ":") {
            let interfaceFolder = folder + "/" + interface
            let children = (try? fileManager.contentsOfDirectory(atPath: interfaceFolder)) ?? []
            if let direct = children.sorted().first(where: Self.isTTYName) { return "/dev/" + direct }
            let nested = (try? fileManager.contentsOfDirectory(atPath: interfaceFolder + "/tty")) ?? []
            if let name = nested.sorted().first(where: Self.isTTYName) { return "/dev/" + name }
        }
        return nil
    }

    static func isTTYName(_ name: String) -> Bool {
        (name.hasPrefix("ttyUSB") || name.hasPrefix("ttyACM")) && name.dropFirst(6).allSatisfy(\.isNumber) && name.count > 6
    }
}
