import TestFixtures
import XCTest

/// `brecq eval` on an image folder: a broken file stops it with one line naming the file;
/// `--skip-bad-images` evaluates the rest and says once how many were left out.
final class ImageFolderCommandTests: TinyModelTestCase {
    private func makeImageFolder() throws -> String {
        let images = TinyModelDirectory.fixtures.appendingPathComponent("images")
        let root = model.url.appendingPathComponent("pictures")
        for (directory, name, source) in [("val/cat", "a.jpg", "rgb.jpg"), ("val/cat", "b.png", "palette.png"),
                                          ("val/dog", "c.jpg", "cmyk.jpg"), ("val/dog", "d.jpg", "truncated.jpg"),
                                          ("train/cat", "e.png", "gray.png"), ("train/dog", "f.png", "wide.png")] {
            let dir = root.appendingPathComponent(directory)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: images.appendingPathComponent(source), to: dir.appendingPathComponent(name))
        }
        return root.path
    }

    func testBrokenImageIsNamedAndCanBeSkipped() throws {
        let folder = try makeImageFolder()
        let failed = try CommandRun.brecq(["eval", "--model", model.model, "--data", folder], timeout: 120)
        assertOneErrorLine(failed, mentions: ["d.jpg", "JPEG"])
        let skipped = try CommandRun.brecq(["eval", "--model", model.model, "--data", folder, "--skip-bad-images"], timeout: 120)
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        XCTAssertTrue(skipped.stdout.contains("on 3 test images"), skipped.stdout)
        XCTAssertEqual(skipped.stderrLines.filter { $0.contains("skipped 1 unreadable image") }.count, 1, skipped.stderr)
    }
}
