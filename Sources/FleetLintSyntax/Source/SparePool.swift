import Foundation

/// Values lent to one task at a time and taken back for the next, so that what is costly to make (a parse's scratch
/// stacks, an array as long as a project's paths) is made once per task running at once, not once per task. Safe
/// from any thread. Whoever takes a value gives it back as `make` would give it (emptied, its marks cleared), or not at
/// all. At most `limit` values wait; one given back beyond them is let go.
public final class SparePool<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var spares: [Value] = []
    private let limit: Int
    private let make: @Sendable () -> Value

    public init(limit: Int = .max, make: @escaping @Sendable () -> Value) {
        self.limit = limit
        self.make = make
    }

    /// A spare value, else a new one.
    public func take() -> Value {
        lock.withLock { spares.popLast() } ?? make()
    }

    /// Gives back a value taken from this pool, in the state `make` gives.
    public func giveBack(_ value: Value) {
        lock.withLock { if spares.count < limit { spares.append(value) } }
    }
}
