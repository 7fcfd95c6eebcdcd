/// Threads of one dump with the same stack and state.
public struct StackGroup: Sendable {
    public var threads: [Int]
    public var state: ThreadState?
    public var activity: ThreadActivity.Kind
    public var topFrame: Int32?
    public var applicationFrame: Int32?
}
