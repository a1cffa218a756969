import Glibc

/// A serial line (RS-232, USB-serial, or a pty in tests) in raw mode, 8N1, no flow control.
///
/// Raw mode is not optional: a tty in its default mode swallows ETX (VINTR), FS (VQUIT),
/// EOT (VEOF) and NAK (VKILL) — every control byte POSLink uses — and maps XON/XOFF.
/// The port is locked (`flock`, exclusive) while open, so a second posplus process cannot
/// interleave bytes with the first. Not TIOCEXCL: that flag belongs to the tty and outlives the
/// process that set it, so a `terminals demo` that exited before closing the port, or a charge
/// killed mid-way, left the terminal refusing every later program (EBUSY) but root's — recovery
/// included. The kernel drops a lock with the last descriptor, however the process ended.
public final class SerialPort: FileDescriptorTransport, @unchecked Sendable {
    let stream: FileDescriptorStream
    public let path: String

    /// Baud rates a terminal line can use.
    public static let supportedBaudRates: [Int: speed_t] = [
        1200: speed_t(B1200), 2400: speed_t(B2400), 4800: speed_t(B4800), 9600: speed_t(B9600),
        19200: speed_t(B19200), 38400: speed_t(B38400), 57600: speed_t(B57600), 115200: speed_t(B115200),
    ]

    public init(path: String, baudRate: Int = 9600) throws(TransportError) {
        guard let speed = Self.supportedBaudRates[baudRate] else {
            throw .openFailed("\(baudRate) baud is not supported; use one of \(Self.supportedBaudRates.keys.sorted())")
        }
        let descriptor = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .openFailed("\(path): \(FileDescriptorStream.errorText())") }
        do {
            try Self.configure(descriptor, speed: speed, path: path)
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        self.path = path
        self.stream = FileDescriptorStream(descriptor: descriptor)
    }

    /// Exclusive access, raw 8N1 at `speed`, reads that never block (poll decides).
    static func configure(_ descriptor: Int32, speed: speed_t, path: String) throws(TransportError) {
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "another posplus process is using it" : FileDescriptorStream.errorText()
            throw .openFailed("\(path): \(reason)")
        }
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else {
            throw .openFailed("\(path) is not a serial port: \(FileDescriptorStream.errorText())")
        }
        cfmakeraw(&settings)
        settings.c_cflag &= ~(tcflag_t(PARENB | CSTOPB | CSIZE) | CRTSCTS)
        settings.c_cflag |= tcflag_t(CS8 | CLOCAL | CREAD)
        settings.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        withUnsafeMutableBytes(of: &settings.c_cc) {
            $0[Int(VMIN)] = 0
            $0[Int(VTIME)] = 0
        }
        cfsetispeed(&settings, speed)
        cfsetospeed(&settings, speed)
        guard tcsetattr(descriptor, TCSANOW, &settings) == 0 else {
            throw .openFailed("\(path): cannot set line settings: \(FileDescriptorStream.errorText())")
        }
        tcflush(descriptor, TCIOFLUSH)  // stale bytes from before we opened are not ours
    }

    /// Releases the port (and with it the lock); safe from any thread (see ``SharedDescriptor``).
    public func close() { stream.close() }

    deinit { close() }
}
