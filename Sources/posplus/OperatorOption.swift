import ArgumentParser
import Foundation
import PosPlusCore

/// Who runs a command, as the audit log and the Jobber note name them. Checked before anything
/// is recorded or sent: a name the ledger would refuse to keep (one that looks like a card
/// number, say) must stop the command here, not after the terminal has taken the money.
struct OperatorOption: ParsableArguments {
    @Option(
        name: .customLong("operator"),
        help: ArgumentHelp("Who is doing it (for the audit log and the Jobber note; defaults to $USER).", valueName: "name"))
    var name: String = ProcessInfo.processInfo.environment["USER"] ?? "staff"

    func validate() throws {
        do { _ = try OperatorName(name) } catch { throw ValidationError(error.description) }
    }
}
