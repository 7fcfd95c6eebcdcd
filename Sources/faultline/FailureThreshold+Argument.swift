public import ArgumentParser
public import Faultline

/// `--fail-on failure|warning`.
extension FailureThreshold: ExpressibleByArgument {}
