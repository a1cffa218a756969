import PosPlusCore

extension ConfigField {
    /// The thresholds above which a request waits for a manager (issue 12, part 4). Each one
    /// left out holds nothing.
    static let approvals: [ConfigField] = [
        ConfigField(
            key: "approvals.refund_over", help: "A refund above this amount waits for a manager (\"200.00\"; unset: never).",
            apply: { config, value throws(FieldProblem) in config.approvals.refundOver = try value.money(in: config.currency) },
            show: { $0.approvals.refundOver?.decimalText ?? "(none)" }),
        ConfigField(
            key: "approvals.void_older_than",
            help: "A void of a payment taken longer ago than this waits for a manager (\"4h\"; up to 24h).",
            apply: { config, value throws(FieldProblem) in config.approvals.voidOlderThan = try value.duration(atLeast: 60) },
            show: { $0.approvals.voidOlderThan.map { "\($0.components.seconds / 60)m" } ?? "(none)" }),
        ConfigField(
            key: "approvals.keyed_over", help: "A sale keyed on the terminal above this amount waits for a manager (\"500.00\").",
            apply: { config, value throws(FieldProblem) in config.approvals.keyedOver = try value.money(in: config.currency) },
            show: { $0.approvals.keyedOver?.decimalText ?? "(none)" }),
        ConfigField(
            key: "approvals.link_over", help: "A payment link asking for more than this amount waits for a manager (\"1000.00\").",
            apply: { config, value throws(FieldProblem) in config.approvals.linkOver = try value.money(in: config.currency) },
            show: { $0.approvals.linkOver?.decimalText ?? "(none)" }),
    ]
}
