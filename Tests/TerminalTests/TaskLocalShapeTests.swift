import Foundation
import TestSupport
import Testing

/// A guard against a crash only release builds have: a `@TaskLocal` whose value is a bare
/// (optional) closure crashed `posplus serve` built with `-c release` (Swift 6.2) in
/// `swift_task_localValuePush` on its first charge, while every debug test passed. The load
/// benchmark found it; the task locals now hold small structs. The tests run debug builds, so
/// this reads the sources and refuses a task local of function type coming back.
@Suite("Task locals hold nominal values")
struct TaskLocalShapeTests {
    @Test func noTaskLocalInTheSourcesHoldsAClosure() throws {
        let root = ScriptServer.packageRoot
        var offenders: [String] = []
        for folder in ["Sources", "Devices", "Simulators"] {
            let base = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for line in text.split(separator: "\n") where line.contains("@TaskLocal") {
                    let type = line.split(separator: ":", maxSplits: 1).dropFirst().first ?? ""
                    if type.contains("->") { offenders.append("\(file.lastPathComponent): \(line.trimmingCharacters(in: .whitespaces))") }
                }
            }
        }
        #expect(offenders.isEmpty, "wrap the closure in a Sendable struct: \(offenders)")
    }
}
