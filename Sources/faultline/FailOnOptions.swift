import ArgumentParser
import Faultline

/// `--exit-code` and `--fail-on failure|warning`: exit 1 when the verdict is a failure (or
/// anything was found), as `git diff --exit-code` and linters do; without them the exit status
/// says only whether the analysis ran.
struct FailOnOptions: ParsableArguments {
    @Flag(help: "Exit 1 when the verdict is a failure (the same as --fail-on failure).")
    var exitCode = false

    @Option(help: ArgumentHelp(
        "Exit 1 at this level: failure (the verdict is a failure) or warning (also any hypothesis or input warning).",
        valueName: "level"))
    var failOn: FailureThreshold?

    /// The threshold asked for, if any.
    var threshold: FailureThreshold? { failOn ?? (exitCode ? .failure : nil) }

    /// Whether `report` should make the command exit 1.
    func fails(_ report: Report) -> Bool { threshold?.isReached(by: report) ?? false }
}
