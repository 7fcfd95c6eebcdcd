public import ArgumentParser
public import Faultline

/// `--format text|json|html|markdown|github|sarif|junit` for any command that renders a report.
extension ReportFormat: ExpressibleByArgument {}
