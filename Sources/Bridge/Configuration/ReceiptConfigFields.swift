import Foundation
import PosPlusCore

/// The business details a receipt prints and the receipt mode (`business.address`,
/// `business.phone`, `receipts.mode`).
public struct ReceiptSettings: Equatable, Sendable {
    public var mode: AutomationMode = .off
    /// Address lines (a TOML multi-line string, one line each).
    public var address: [String] = []
    public var phone: String?

    public init() {}
}

extension ConfigField {
    static let receipts: [ConfigField] = [
        ConfigField(
            key: "business.address", help: "The business's address on receipts (one line per line of a multi-line string).",
            apply: { config, value throws(FieldProblem) in
                config.receipts.address = try value.nonEmptyText().split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            },
            show: { $0.receipts.address.isEmpty ? "(none)" : $0.receipts.address.joined(separator: " / ") }),
        ConfigField(
            key: "business.phone", help: "The business's phone number on receipts.",
            apply: { config, value throws(FieldProblem) in config.receipts.phone = try value.nonEmptyText() },
            show: { $0.receipts.phone ?? "(none)" }),
        ConfigField(
            key: "receipts.mode",
            help: "After an approved payment, refund or void: off, suggest (note it is ready for a person to send) or auto (send it).",
            apply: { config, value throws(FieldProblem) in config.receipts.mode = try value.automationMode() },
            show: { $0.receipts.mode.rawValue }),
    ]
}

extension PosPlusConfig {
    /// Who a receipt is from.
    public var business: BusinessDetails {
        BusinessDetails(name: businessName, address: receipts.address, phone: receipts.phone)
    }
}
