extension ConfigField {
    static let staff: [ConfigField] = [
        ConfigField(
            key: "staff.session_idle", help: "A console session unused this long ends (\"30m\"; 1m to 24h).",
            apply: { config, value throws(FieldProblem) in config.staff.sessionIdle = try value.duration(atLeast: 60) },
            show: { "\($0.staff.sessionIdle.components.seconds / 60)m" }),
        ConfigField(
            key: "staff.session_max", help: "A console session ends this long after login, however busy (\"12h\"; 5m to 24h).",
            apply: { config, value throws(FieldProblem) in config.staff.sessionMax = try value.duration(atLeast: 300) },
            show: { "\($0.staff.sessionMax.components.seconds / 60)m" }),
        ConfigField(
            key: "staff.bcrypt_cost", help: "bcrypt's cost for staff passwords (4 to 16; default 12; below 10 only for tests).",
            apply: { config, value throws(FieldProblem) in
                config.staff.bcryptCost = try value.integer(in: StaffSettings.bcryptCosts, what: "a bcrypt cost")
            },
            show: { String($0.staff.bcryptCost) }),
        ConfigField(
            key: "staff.login_attempts",
            help: "Failed logins under one name in 15 minutes before it is locked out (3 to 20; default 5; 4 times as many per address).",
            apply: { config, value throws(FieldProblem) in
                config.staff.loginAttempts = try value.integer(in: 3...20, what: "a number of attempts")
            },
            show: { String($0.staff.loginAttempts) }),
    ]
}

extension RawConfigValue {
    /// A whole number in `range`, as a TOML integer or (from the environment) as text.
    func integer(in range: ClosedRange<Int>, what: String) throws(FieldProblem) -> Int {
        let number: Int?
        switch self {
        case .integer(let value): number = value
        case .string(let text): number = Int(text.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number, range.contains(number) else {
            throw FieldProblem("must be \(what) from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
