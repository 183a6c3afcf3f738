import Foundation
import Testing
import FixedNet

/// Misused public entry points trap with a message that names the sizes, in
/// every build configuration (exit tests run the closure in a child process).
@Suite struct APIMisuseTests {
    @Test func wrongInputCountTrapsNamingTheSizes() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("models/iris/model.fnb").path
            let model = try! Model(contentsOfFile: path)
            _ = model.predict([1, 2, 3])
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("predict: input count (the model's inputCount): expected 4, got 3"), "\(text)")
    }

    @Test func missingFileNamesThePath() {
        #expect(throws: BlobError.fileNotFound(path: "/nonexistent/x.fnb")) { _ = try Model(contentsOfFile: "/nonexistent/x.fnb") }
    }
}
