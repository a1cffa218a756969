import ArgumentParser
import Bridge
import Foundation

/// Where a new password comes from: never a command-line flag, which other users can read in
/// the process list and which stays in the shell's history.
struct PasswordInput: ParsableArguments {
    @Flag(help: "Read the password from the first line of standard input (for scripts).")
    var passwordStdin = false

    /// The password from standard input, or asked for twice on the terminal without echo.
    func read(for name: String) throws -> StaffPassword {
        if passwordStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw StaffError.invalidRequest("--password-stdin: standard input had no password line.")
            }
            return try StaffPassword(line)
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw StaffError.invalidRequest("There is no terminal to ask for \(name)'s password on; pipe it in with --password-stdin.")
        }
        let first = try Self.prompt("New password for \(name): ")
        let password = try StaffPassword(first)
        guard try Self.prompt("Again, to be sure: ") == first else {
            throw StaffError.invalidRequest("The two passwords differ; nothing was changed.")
        }
        return password
    }

    /// Reads one line from the terminal with echo off, restoring the terminal however it ends.
    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw StaffError.invalidRequest("Cannot read the terminal's settings.") }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw StaffError.invalidRequest("No password was typed.") }
        return line
    }
}
