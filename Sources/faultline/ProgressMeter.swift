import Faultline

/// Shows how far through a long input the analysis is, on standard error,
/// redrawn at most a few times a second; silent when not on a terminal.
final class ProgressMeter {
    private let enabled: Bool
    private var lastDraw = 0
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: Analyzer.Progress) {
        guard enabled else { return }
        let step = 64 << 20
        guard progress.bytesRead - lastDraw >= step else { return }
        lastDraw = progress.bytesRead
        var line = "\r\(progress.path): \(progress.bytesRead >> 20) MiB"
        if let total = progress.totalBytes, total > 0 {
            line += " (\(min(100, progress.rawBytesRead * 100 / total))%)"
        }
        printErrorInline(line)
        drawn = true
    }

    func clear() {
        if drawn { printErrorInline("\r\u{1B}[K") }
    }

    private func printErrorInline(_ text: String) {
        var copy = text
        copy.withUTF8 { _ = fwriteStderr($0) }
    }
}
