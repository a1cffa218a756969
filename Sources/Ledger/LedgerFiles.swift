import Foundation

/// The ledger's place on disk: a private folder, and the database with its `-wal` and `-shm`
/// readable and writable by the owner only.
///
/// Why: the ledger holds payment history, stored webhook bodies and Jobber tokens; a 0644
/// `-wal` next to a 0600 database gives all of it to every user of the machine.
///
/// How: SQLite creates `-wal` and `-shm` with the mode of the database file (os_unix.c,
/// `findCreateFileMode` and `unixOpenSharedMemory`), so the database is created 0600 *before*
/// SQLite opens it, and any of the three left wider (an older posplus, a copy) is narrowed
/// before and after the open. The umask is not touched: it is per process, and a service or
/// a test opens ledgers on several threads at once.
///
/// The folder is made 0700 when it is group- or world-accessible and belongs to this user;
/// one that belongs to someone else, or that anyone may write to (such as /tmp), is refused
/// with a sentence saying what to do: posplus cannot make it private, and in a shared folder
/// another user could plant files where the ledger's companions will be created. So keep the
/// ledger in a folder of its own (the default, `~/.local/share/posplus/`, is one).
///
/// Every failure is ``LedgerError/cannotOpen(path:reason:)`` with a reason that names the
/// path and what to do, never a raw Foundation or SQLite error.
enum LedgerFiles {
    static let fileMode: mode_t = 0o600
    static let folderMode: mode_t = 0o700
    /// The database and the files SQLite keeps beside it in WAL mode.
    static let suffixes = ["", "-wal", "-shm"]

    /// Makes the folder and the database file ready for SQLite to open.
    static func prepare(_ path: String) throws(LedgerError) {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw .cannotOpen(path: path, reason: "it is a folder; set ledger.path (or --ledger) to a file, such as \(path)/ledger.sqlite")
        }
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        try prepareFolder(folder, ledger: path)
        try createDatabaseFile(path)
        try narrowFiles(path)
    }

    /// Narrows the database, `-wal` and `-shm` to 0600 where they exist and are wider.
    static func narrowFiles(_ path: String) throws(LedgerError) {
        for suffix in suffixes {
            let file = path + suffix
            var info = stat()
            guard stat(file, &info) == 0, info.st_mode & 0o077 != 0 else { continue }
            guard chmod(file, fileMode) == 0 else {
                throw .cannotOpen(
                    path: path,
                    reason: "\(file) can be read by other users and posplus cannot change that (\(reason(errno))); "
                        + "run `chmod 600 \(file)` as its owner")
            }
        }
    }

    private static func prepareFolder(_ folder: String, ledger path: String) throws(LedgerError) {
        var info = stat()
        guard stat(folder, &info) == 0 else {
            guard errno == ENOENT || errno == ENOTDIR else {
                throw .cannotOpen(path: path, reason: "posplus cannot look into \(folder) (\(reason(errno)))")
            }
            try createFolder(folder, ledger: path)
            return
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .cannotOpen(path: path, reason: "\(folder) is a file, not a folder; set ledger.path (or --ledger) to a file in a folder")
        }
        guard info.st_mode & 0o077 != 0 else { return }
        let mode = String(info.st_mode & 0o7777, radix: 8)
        if info.st_mode & 0o002 != 0 || info.st_uid != geteuid() {
            throw .cannotOpen(
                path: path,
                reason: "its folder \(folder) (mode \(mode)) is open to other users and posplus will not keep payments there; "
                    + "set ledger.path (or --ledger) to a file in a folder of its own, such as ~/.local/share/posplus/ledger.sqlite")
        }
        guard chmod(folder, folderMode) == 0 else {
            throw .cannotOpen(
                path: path,
                reason:
                    "its folder \(folder) is open to other users and cannot be made private (\(reason(errno))); run `chmod 700 \(folder)`")
        }
    }

    private static func createFolder(_ folder: String, ledger path: String) throws(LedgerError) {
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: Int(folderMode)])
        } catch {
            // Name the ancestor that stopped it: a file where a folder should be, or no permission.
            var ancestor = folder
            var info = stat()
            while stat(ancestor, &info) != 0, ancestor != "/", !ancestor.isEmpty {
                ancestor = (ancestor as NSString).deletingLastPathComponent
            }
            if info.st_mode & S_IFMT != S_IFDIR {
                throw .cannotOpen(
                    path: path,
                    reason: "\(ancestor) is a file, not a folder, so the folder \(folder) cannot be created; "
                        + "set ledger.path (or --ledger) to a path inside a folder")
            }
            throw .cannotOpen(
                path: path,
                reason:
                    "posplus cannot create the folder \(folder) (\(reason(((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code)))"
                    + "; create it yourself (mode 700) or choose another ledger.path")
        }
        _ = chmod(folder, folderMode)  // exactly 0700, whatever the umask made of it
    }

    private static func createDatabaseFile(_ path: String) throws(LedgerError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case EISDIR:
                throw .cannotOpen(
                    path: path, reason: "it is a folder; set ledger.path (or --ledger) to a file, such as \(path)/ledger.sqlite")
            case EACCES, EPERM:
                throw .cannotOpen(path: path, reason: "posplus may not read and write it (\(reason(code))); check its owner and mode")
            default:
                throw .cannotOpen(path: path, reason: "it cannot be opened for writing (\(reason(code)))")
            }
        }
        close(descriptor)
    }

    /// The C library's words for an errno ("Permission denied").
    static func reason(_ code: Int32?) -> String {
        guard let code, let text = strerror(code) else { return "unknown reason" }
        return String(cString: text).lowercased()
    }

    static func reason(_ code: Int?) -> String { reason(code.map { Int32(truncatingIfNeeded: $0) }) }
}
