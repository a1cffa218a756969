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
/// The folder: one posplus creates is 0700. An existing one that is group- or
/// world-accessible is made 0700 only when it is plainly the ledger's own: it belongs to this
/// user, nobody else may write to it, and it holds nothing but the ledger's files. Anything
/// else is refused with a sentence saying what to do, never changed: a ledger path of
/// `/ledger.sqlite` run as root must not make `/` private, and in a folder others may write to
/// (such as /tmp) another user could plant files where the ledger's companions will be created.
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
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw .cannotOpen(
                path: path,
                reason: info.st_mode & S_IFMT == S_IFDIR
                    ? "it is a folder; set ledger.path (or --ledger) to a file, such as \(path)/ledger.sqlite"
                    : "it is not a regular file (a device or a socket?); set ledger.path (or --ledger) to a file")
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
        let ownFolder = info.st_uid == geteuid() && info.st_mode & 0o022 == 0 && holdsOnlyTheLedger(folder, path)
        guard ownFolder, chmod(folder, folderMode) == 0 else {
            // Suggest chmod only for a folder of this user's that could sensibly be private (never /).
            let chmodHint = info.st_uid == geteuid() && folder != "/" ? ", or run `chmod 700 \(folder)`" : ""
            throw .cannotOpen(
                path: path,
                reason: "its folder \(folder) (mode \(mode)) is open to other users and is not the ledger's alone, so posplus "
                    + "will not keep payments there nor change it; set ledger.path (or --ledger) to a file in a folder of its own, "
                    + "such as ~/.local/share/posplus/ledger.sqlite (posplus creates it private)\(chmodHint)")
        }
    }

    /// Whether every entry of `folder` is the ledger or a file named after it (`-wal`, `-shm`,
    /// a backup): only then is the folder plainly the ledger's, and safe to make private.
    private static func holdsOnlyTheLedger(_ folder: String, _ path: String) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return false }
        let name = (path as NSString).lastPathComponent
        return entries.allSatisfy { $0.hasPrefix(name) }
    }

    /// Creates the missing folders down to `folder`, each 0700, naming the one that stopped it.
    private static func createFolder(_ folder: String, ledger path: String) throws(LedgerError) {
        var missing: [String] = []
        var current = folder
        var info = stat()
        while !current.isEmpty, current != "/", stat(current, &info) != 0 {
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        if !current.isEmpty, info.st_mode & S_IFMT != S_IFDIR {
            throw .cannotOpen(
                path: path,
                reason: "\(current) is a file, not a folder, so the folder \(folder) cannot be created; "
                    + "set ledger.path (or --ledger) to a path inside a folder")
        }
        for created in missing.reversed() {
            guard mkdir(created, folderMode) == 0 || errno == EEXIST else {
                throw .cannotOpen(
                    path: path,
                    reason: "posplus cannot create the folder \(created) (\(reason(errno))); create it yourself (mode 700) "
                        + "or choose another ledger.path")
            }
            _ = chmod(created, folderMode)  // exactly 0700, whatever the umask made of it
        }
    }

    private static func createDatabaseFile(_ path: String) throws(LedgerError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case EACCES, EPERM:
                throw .cannotOpen(path: path, reason: "posplus may not read and write it (\(reason(code))); check its owner and mode")
            default:
                throw .cannotOpen(path: path, reason: "it cannot be opened for writing (\(reason(code)))")
            }
        }
        close(descriptor)
    }

    /// The C library's words for an errno ("permission denied").
    static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text).lowercased()
    }
}
