import Bridge
import Foundation
import TestSupport
import Testing

/// `SVGRasterizer` with the real rsvg-convert (`make deps` installs librsvg2-bin): the PNG
/// replaces a file only once whole, and each way it can fail says why and leaves the old file.
@Suite("SVGRasterizer: rsvg-convert as a subprocess")
struct SVGRasterizerTests {
    let folder: URL
    let old = Data("the chart from yesterday".utf8)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try old.write(to: folder.appendingPathComponent("chart.png"))
    }

    var chart: String { folder.appendingPathComponent("chart.png").path }
    var leftInFolder: [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] }

    static let square = """
        <svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#4a7bd0"/>\
        <text x="2" y="20" font-family="sans-serif" font-size="11">$5</text></svg>
        """

    @Test func aPNGOfTheSVGsSizeReplacesTheFileWhole() async throws {
        try await SVGRasterizer().writePNG(svg: Self.square, to: chart)
        #expect(PNGHeader(try Data(contentsOf: URL(fileURLWithPath: chart))) == PNGHeader(width: 40, height: 30))
        #expect(leftInFolder == ["chart.png"], "no temporary file left")
    }

    @Test func anSVGTheToolCannotReadFailsInItsWordsAndKeepsTheOldFile() async throws {
        let error = await #expect(throws: SVGRasterizerError.self) {
            try await SVGRasterizer().writePNG(svg: "<svg this is not", to: chart)
        }
        guard case .toolFailed(let tool, let status, let said)? = error else {
            Issue.record("expected toolFailed, got \(String(describing: error))")
            return
        }
        #expect(tool == "rsvg-convert" && status != 0 && !said.isEmpty)
        #expect(error?.description.hasPrefix("rsvg-convert could not draw the chart (exit status \(status)): ") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: chart)) == old && leftInFolder == ["chart.png"])
    }

    @Test func aConverterPastItsTimeoutIsStoppedAndKeepsTheOldFile() async throws {
        var rasterizer = SVGRasterizer()
        rasterizer.timeout = .milliseconds(1)  // less than starting any process takes
        await #expect(throws: SVGRasterizerError.timedOut(tool: "rsvg-convert", seconds: 0)) {
            try await rasterizer.writePNG(svg: Self.square, to: chart)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: chart)) == old && leftInFolder == ["chart.png"])
    }

    @Test func aMissingToolIsNamedWithItsPackage() throws {
        let rasterizer = SVGRasterizer(environment: ["PATH": folder.path])
        #expect(throws: SVGRasterizerError.toolMissing(tool: "rsvg-convert", searched: folder.path)) { try rasterizer.tool() }
        #expect(
            SVGRasterizerError.toolMissing(tool: "rsvg-convert", searched: "/bin").description
                == "A PNG needs rsvg-convert, which is not installed (looked in PATH: /bin). Install it with "
                + "`apt-get install librsvg2-bin`, or set POSPLUS_RSVG_CONVERT to its path; --svg needs nothing.")
    }

    @Test func theOverrideIsUsedAndMustBeAnExecutable() throws {
        let found = try SVGRasterizer(environment: ["PATH": "/nowhere:/usr/bin:/bin"]).tool()
        #expect(found.hasSuffix("/rsvg-convert"))
        #expect(try SVGRasterizer(environment: ["PATH": "", "POSPLUS_RSVG_CONVERT": found]).tool() == found)
        #expect(throws: SVGRasterizerError.overrideNotExecutable(variable: "POSPLUS_RSVG_CONVERT", path: chart)) {
            try SVGRasterizer(environment: ["POSPLUS_RSVG_CONVERT": chart]).tool()
        }
    }

    @Test func aFolderThatIsNotThereIsSaidBeforeTheToolRuns() async throws {
        let path = folder.appendingPathComponent("missing/chart.png").path
        await #expect(throws: SVGRasterizerError.notWritten(path: path, why: "there is no folder \(folder.path)/missing")) {
            try await SVGRasterizer().writePNG(svg: Self.square, to: path)
        }
    }
}
