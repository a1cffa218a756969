import DeviceCatalog
import Foundation
import Terminal
import TestSupport
import Testing

@Suite("USB discovery: sysfs mapping, catalog, rescan")
struct USBDiscoveryTests {
    /// A fake /sys in a temporary folder, laid out as the kernel lays it out.
    struct FakeSysfs {
        let root: URL

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-sysfs-\(UUID().uuidString)")
            let devices = root.appendingPathComponent("bus/usb/devices")
            // CH340 (usb-serial): 1-3/1-3:1.0/ttyUSB0
            try make(devices.appendingPathComponent("1-3/1-3:1.0/ttyUSB0"))
            try "PAXA35-0042\n".write(to: devices.appendingPathComponent("1-3/serial"), atomically: true, encoding: .utf8)
            // cdc_acm behind a hub: 1-2.4/1-2.4:1.0/tty/ttyACM1
            try make(devices.appendingPathComponent("1-2.4/1-2.4:1.0/tty/ttyACM1"))
            // A vendor-class device with no kernel serial driver.
            try make(devices.appendingPathComponent("2-1/2-1:1.0"))
        }

        private func make(_ url: URL) throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }

        var sysfs: SysfsUSB { SysfsUSB(root: root.path) }
        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    let ch340 = USBDevice(vendorID: 0x1A86, productID: 0x7523, bus: 1, address: 5, portPath: [3])
    let acm = USBDevice(vendorID: 0x9908, productID: 0x9030, bus: 1, address: 9, portPath: [2, 4])
    let vendorClass = USBDevice(vendorID: 0x1234, productID: 0x0101, bus: 2, address: 2, portPath: [1])
    let keyboard = USBDevice(vendorID: 0x046D, productID: 0xC31C, bus: 1, address: 3, portPath: [1])

    @Test func aUSBSerialDeviceMapsToItsTTY() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        #expect(fake.sysfs.ttyPath(of: ch340) == "/dev/ttyUSB0")
        #expect(fake.sysfs.ttyPath(of: acm) == "/dev/ttyACM1")
        #expect(fake.sysfs.ttyPath(of: vendorClass) == nil)
        #expect(fake.sysfs.serialNumber(of: ch340) == "PAXA35-0042")
        #expect(fake.sysfs.serialNumber(of: acm) == nil)
    }

    @Test func discoveryMatchesKnownIdsAndIgnoresTheRest() throws {
        let fake = try FakeSysfs()
        defer { fake.remove() }
        let found = TerminalDiscovery(sysfs: fake.sysfs).terminals(among: [keyboard, vendorClass, ch340, acm])
        #expect(found.map(\.device.ids) == ["9908:9030", "1a86:7523", "1234:0101"])
        #expect(found.map(\.ttyPath) == ["/dev/ttyACM1", "/dev/ttyUSB0", nil])
        #expect(found.allSatisfy { $0.known.family == "pax" && $0.known.baudRate == 9600 })
    }

    @Test func namesReadAsTheKernelWritesThem() {
        #expect(acm.sysfsName == "1-2.4")
        #expect(ch340.ids == "1a86:7523")
        #expect(ch340.stableKey == "1a86:7523@1-3")
    }

    @Test func aMachineWithoutUSBGivesAnEmptyListNotAnError() throws {
        let devices = try USBEnumerator().devices()  // real libusb on this machine
        if !FileManager.default.fileExists(atPath: "/sys/bus/usb/devices") || ProcessInfo.processInfo.environment["UMOCKDEV_DIR"] != nil {
            return  // under umockdev the fixture's devices are present; covered by the umockdev suite
        }
        let present = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/bus/usb/devices")) ?? []
        if present.isEmpty { #expect(devices.isEmpty) }
        #expect(TerminalDiscovery(sysfs: SysfsUSB(root: "/nonexistent")).terminals(among: devices).allSatisfy { $0.ttyPath == nil })
    }

    /// The scan closure replays a scripted sequence of device lists: a stand-in for plugging
    /// hardware, which this machine has none of (the libusb path runs in the umockdev suite).
    @Test func rescanningReportsArrivalsRemovalsAndReplugs() async throws {
        let clock = ManualClock()
        let script = ScanScript([[keyboard], [keyboard, ch340], [keyboard], [keyboard, ch340]])
        let watcher = USBRescanWatcher(interval: .seconds(3), clock: clock) { script.next() }
        var iterator = watcher.events().makeAsyncIterator()
        #expect(await iterator.next() == .arrived(keyboard))
        for expected in [USBEvent.arrived(ch340), .left(ch340), .arrived(ch340)] {
            await clock.waitForSleepers()
            clock.advance(by: .seconds(3))
            #expect(await iterator.next() == expected)
        }
    }

    final class ScanScript: @unchecked Sendable {
        private let lock = NSLock()
        private var lists: [[USBDevice]]
        init(_ lists: [[USBDevice]]) { self.lists = lists }
        func next() -> [USBDevice] { lock.withLock { lists.count > 1 ? lists.removeFirst() : lists[0] } }
    }
}

/// Real libusb against devices emulated by umockdev (`make test-usb`; CI runs it). Skipped
/// under a plain `swift test`, where no emulated bus exists.
@Suite(
    "USB through real libusb under umockdev",
    .enabled(if: ProcessInfo.processInfo.environment["UMOCKDEV_DIR"] != nil), .serialized)
struct USBUnderUmockdevTests {
    @Test func libusbEnumeratesTheTerminalWithItsSerialAndTTY() throws {
        let devices = try USBEnumerator().devices()
        let pad = try #require(devices.first { $0.ids == "1a86:7523" })
        #expect(pad.bus == 1)
        #expect(pad.portPath == [3])
        #expect(pad.serialNumber == "PAXA35-0042")
        let found = try TerminalDiscovery().scan()
        #expect(found.count == 1)
        #expect(found.first?.ttyPath == "/dev/ttyUSB0")
        #expect(found.first?.known.family == "pax")
    }

    @Test func hotplugCallbacksReportThePresentTerminal() async throws {
        try #require(LibUSBHotplugWatcher.isSupported)
        let watcher = try LibUSBHotplugWatcher()
        defer { watcher.stop() }
        for await event in watcher.events {
            if case .arrived(let device) = event, device.ids == "1a86:7523" {
                #expect(device.portPath == [3])
                return
            }
        }
        Issue.record("the emulated terminal was never reported")
    }
}
