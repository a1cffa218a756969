import Glibc

/// A pty pair: the simulator holds the master side; the driver opens ``devicePath`` exactly
/// as it would open `/dev/ttyUSB0`, so the real termios code path runs in tests.
///
/// The slave side is put in raw mode here too, and one slave descriptor is kept open for
/// the pair's lifetime: otherwise the master reads EIO whenever the driver closes the port.
public final class PseudoTerminal: FileDescriptorTransport, @unchecked Sendable {
    let stream: FileDescriptorStream
    private let heldSlave: FileDescriptorStream
    public let devicePath: String

    public init() throws(TransportError) {
        var masterDescriptor: Int32 = -1
        var slaveDescriptor: Int32 = -1
        var name = [CChar](repeating: 0, count: 256)
        guard openpty(&masterDescriptor, &slaveDescriptor, &name, nil, nil) == 0 else {
            throw .openFailed("openpty: \(FileDescriptorStream.errorText())")
        }
        var settings = termios()
        tcgetattr(slaveDescriptor, &settings)
        cfmakeraw(&settings)
        tcsetattr(slaveDescriptor, TCSANOW, &settings)
        FileDescriptorStream.setNonBlocking(masterDescriptor)
        devicePath = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        stream = FileDescriptorStream(descriptor: masterDescriptor)
        heldSlave = FileDescriptorStream(descriptor: slaveDescriptor)
    }

    /// Closes both sides; safe from any thread (see ``SharedDescriptor``).
    public func close() {
        stream.close()
        heldSlave.close()
    }

    deinit { close() }
}
