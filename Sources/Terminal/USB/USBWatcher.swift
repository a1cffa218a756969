import CLibUSB
import Foundation

/// A device arriving or leaving.
public enum USBEvent: Equatable, Sendable {
    case arrived(USBDevice)
    case left(USBDevice)
}

/// Reports USB devices arriving and leaving, so a re-plugged terminal comes back by itself.
///
/// Uses libusb's hot-plug callbacks where the platform has them (Linux with udev), and
/// otherwise rescans on an interval. Either way, devices present at start are reported as
/// arrivals first.
public final class LibUSBHotplugWatcher: @unchecked Sendable {
    public let events: AsyncStream<USBEvent>
    private let continuation: AsyncStream<USBEvent>.Continuation
    private let context: LibUSBContext
    private var handle: libusb_hotplug_callback_handle = 0
    private let stopLock = NSLock()
    private var stopped = false
    private var thread: Thread?

    /// Whether this libusb can deliver hot-plug callbacks at all.
    public static var isSupported: Bool { libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 }

    public init() throws(USBError) {
        (events, continuation) = AsyncStream.makeStream(of: USBEvent.self, bufferingPolicy: .unbounded)
        context = try LibUSBContext()
        let box = Unmanaged.passRetained(CallbackBox(continuation: continuation))
        let status = libusb_hotplug_register_callback(
            context.context,
            Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue),
            Int32(LIBUSB_HOTPLUG_ENUMERATE.rawValue), LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            { _, device, event, userData in
                guard let device, let userData, let described = LibUSBContext.describe(device) else { return 0 }
                let box = Unmanaged<CallbackBox>.fromOpaque(userData).takeUnretainedValue()
                box.continuation.yield(event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? .arrived(described) : .left(described))
                return 0
            }, box.toOpaque(), &handle)
        guard status == 0 else {
            box.release()
            throw .libusb(call: "hotplug_register_callback", code: status)
        }
        let context = self.context
        let thread = Thread { [weak self] in
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            while let self, !self.isStopped {
                libusb_handle_events_timeout_completed(context.context, &timeout, nil)
            }
            box.release()
        }
        thread.name = "usb-hotplug"
        self.thread = thread
        thread.start()
    }

    private var isStopped: Bool { stopLock.withLock { stopped } }

    /// Stops watching and ends the event stream.
    public func stop() {
        let first = stopLock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        libusb_hotplug_deregister_callback(context.context, handle)
        continuation.finish()
    }

    deinit { stop() }

    private final class CallbackBox: @unchecked Sendable {
        let continuation: AsyncStream<USBEvent>.Continuation
        init(continuation: AsyncStream<USBEvent>.Continuation) { self.continuation = continuation }
    }
}

/// The fallback for platforms without hot-plug callbacks: scan on an interval and report the
/// difference. Devices are compared by ``USBDevice/stableKey`` (ids, port path, serial), so
/// a re-plug into the same port is "left" then "arrived", never a silent change.
public struct USBRescanWatcher<C: Clock<Duration>>: Sendable {
    public var interval: Duration
    public var clock: C
    /// Lists the devices present now (libusb in production).
    public var scan: @Sendable () throws -> [USBDevice]

    public init(interval: Duration = .seconds(3), clock: C, scan: @escaping @Sendable () throws -> [USBDevice]) {
        self.interval = interval
        self.clock = clock
        self.scan = scan
    }

    /// Events until the consuming task is cancelled. A failed scan is skipped, not fatal.
    public func events() -> AsyncStream<USBEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: USBEvent.self, bufferingPolicy: .unbounded)
        let watcher = self
        let task = Task {
            var known: [String: USBDevice] = [:]
            while !Task.isCancelled {
                if let devices = try? watcher.scan() {
                    let now = Dictionary(devices.map { ($0.stableKey, $0) }, uniquingKeysWith: { first, _ in first })
                    for (key, device) in known where now[key] == nil { continuation.yield(.left(device)) }
                    for (key, device) in now.sorted(by: { $0.key < $1.key }) where known[key] == nil {
                        continuation.yield(.arrived(device))
                    }
                    known = now
                }
                do { try await watcher.clock.sleep(for: watcher.interval) } catch { break }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
