import Foundation

/// Reads the configuration file's text, turning every way that can fail into a
/// ``ConfigError`` naming the path and what to do: Foundation's own errors ("NSCocoaErrorDomain
/// error 256") tell a person nothing.
enum ConfigFile {
    /// A posplus configuration is a few kilobytes; past this it is the wrong file (or a device
    /// such as /dev/zero that would never end).
    static let maximumSize = 1 << 20

    static func read(_ path: String) throws(ConfigError) -> String {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw .unreadable(path: path, reason: "it is a folder, not a file; name the TOML file itself, such as \(path)/config.toml")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw .fileNotFound(path: path)
            case EACCES, EPERM:
                throw .unreadable(
                    path: path, reason: "posplus may not read it (permission denied); make it readable by the user that runs posplus")
            default: throw .unreadable(path: path, reason: "it cannot be opened (\(describe(code)))")
            }
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let data: Data
        do { data = try handle.read(upToCount: maximumSize + 1) ?? Data() } catch {
            throw .unreadable(
                path: path, reason: "reading it failed (\(describe(((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code)))"
            )
        }
        guard data.count <= maximumSize else {
            throw .unreadable(path: path, reason: "it is larger than 1 MiB; a posplus configuration is a few kilobytes, so check the path")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "it is not UTF-8 text; save it as UTF-8")
        }
        return text
    }

    private static func describe(_ code: Int32) -> String {
        strerror(code).map { String(cString: $0).lowercased() } ?? "error \(code)"
    }

    private static func describe(_ code: Int?) -> String {
        code.map { describe(Int32(truncatingIfNeeded: $0)) } ?? "an unknown error"
    }
}
