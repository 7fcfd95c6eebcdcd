import CFuzzerDriver

/// Starts libFuzzer on a harness. SwiftPM links an executable with its `main` renamed to
/// `<module>_main`, so libFuzzer's own `main` is never used: each harness defines that symbol
/// (`@_cdecl("LogFuzzer_main")`) and hands its arguments and its test function over here.
///
/// The built-in knowledge base is loaded before the first input: Foundation keeps a few bytes
/// of each compiled regular expression where LeakSanitizer cannot see them, which would
/// otherwise be blamed on whichever input came first.
public enum FuzzDriver {
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ test: TestOneInput) -> CInt {
        _ = FuzzKnowledge.base
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, test)
    }
}
