import Foundation

/// The ledger key as a 0600 file: base64 of the key's 32 bytes and a newline.
///
/// Created atomically (written under a temporary name, then hard-linked into place), so two
/// processes starting at once agree on one key, and none ever reads a half-written file.
enum LedgerKeyFile {
    static let fileMode: mode_t = 0o600

    /// Reads the key at `path`, or creates it with a new random key if there is none.
    static func loadOrCreate(_ path: String) throws(LedgerKeyError) -> LedgerKey {
        if let key = try load(path) { return key }
        let key = LedgerKey.generate()
        let temporary = try writeTemporary(key, beside: path)
        defer { unlink(temporary) }
        // link() fails if the name exists: whoever got there first wins, and we read theirs.
        if link(temporary, path) != 0, errno != EEXIST {
            throw .file(path: path, reason: "it cannot be created (\(String(cString: strerror(errno))))")
        }
        guard let stored = try load(path) else { throw .file(path: path, reason: "it vanished while being created") }
        return stored
    }

    /// The key at `path`, or nil if there is no file. A key file others can read is narrowed to
    /// 0600 first (it is ours) or refused (it is not).
    static func load(_ path: String) throws(LedgerKeyError) -> LedgerKey? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            guard errno == ENOENT else { throw .file(path: path, reason: "it cannot be read (\(String(cString: strerror(errno))))") }
            return nil
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .file(path: path, reason: "it is not a regular file") }
        if info.st_mode & 0o077 != 0 {
            guard info.st_uid == geteuid(), chmod(path, fileMode) == 0 else {
                throw .file(
                    path: path, reason: "other users can read it and posplus cannot change that; run `chmod 600 \(path)` as its owner")
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, reason: "it cannot be read; check its owner and mode")
        }
        return try LedgerKey.decode(String(decoding: data, as: UTF8.self), source: .file(path: path))
    }

    /// Writes `key` to `path`, replacing whatever is there (rotation), atomically.
    static func replace(_ path: String, with key: LedgerKey) throws(LedgerKeyError) {
        let temporary = try writeTemporary(key, beside: path)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .file(path: path, reason: "the new key cannot be put in place (\(reason))")
        }
    }

    /// Moves the key at `pending` over `path` (the last step of a rotation).
    static func install(_ pending: String, as path: String) throws(LedgerKeyError) {
        guard rename(pending, path) == 0 else {
            throw .file(path: path, reason: "the new key in \(pending) cannot be put in place (\(String(cString: strerror(errno))))")
        }
    }

    /// A new 0600 file in `path`'s folder (created 0700 if missing) holding `key`, synced.
    private static func writeTemporary(_ key: LedgerKey, beside path: String) throws(LedgerKeyError) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .file(path: path, reason: "its folder \(folder) cannot be created")
            }
        }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // O_EXCL with 0600 from the start: the key is never readable by others, not even briefly.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, fileMode)
        guard descriptor >= 0 else {
            throw .file(path: path, reason: "it cannot be created (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        let bytes = Array((key.base64 + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            unlink(temporary)
            throw .file(path: path, reason: "it cannot be written (\(String(cString: strerror(errno))))")
        }
        return temporary
    }
}
