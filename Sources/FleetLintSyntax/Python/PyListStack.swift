// Scratch stacks one Python parse shares with its f-string sub-parsers.
// A stack keeps its state behind a `let` pointer: a class's `var` properties are checked for exclusive access at run
// time on every use, which cost more than the work they do here.

/// A stack the parser builds element lists on. A list's elements are pushed as they are parsed and the finished
/// list is moved into an array of exactly its length: one allocation per list instead of growth by doubling (each
/// step a new buffer, a copy and a free), and no spare capacity left in the tree. Lists nest (an argument list
/// inside an argument list), and a nested list is always finished or abandoned before its parent takes its next
/// element, so every list under construction is the top of the stack above its `mark`.
final class PyListStack<T> {
    private struct State {
        var base: UnsafeMutablePointer<T>
        var capacity: Int
        var count: Int
    }
    private let s: UnsafeMutablePointer<State>

    init(capacity: Int = 64) {
        s = .allocate(capacity: 1)
        s.initialize(to: State(base: .allocate(capacity: capacity), capacity: capacity, count: 0))
    }

    deinit {
        s.pointee.base.deinitialize(count: s.pointee.count)
        s.pointee.base.deallocate()
        s.deallocate()
    }

    @inline(__always) var count: Int { s.pointee.count }

    @inline(__always) func push(_ x: T) {
        if s.pointee.count == s.pointee.capacity { grow() }
        (s.pointee.base + s.pointee.count).initialize(to: x)
        s.pointee.count += 1
    }

    private func grow() {
        let n = s.pointee.capacity * 2
        let nb = UnsafeMutablePointer<T>.allocate(capacity: n)
        nb.moveInitialize(from: s.pointee.base, count: s.pointee.count)
        s.pointee.base.deallocate()
        s.pointee.base = nb
        s.pointee.capacity = n
    }

    /// Element `i` (an absolute index: a list's elements are `mark..<count`).
    @inline(__always) subscript(i: Int) -> T { s.pointee.base[i] }

    /// The elements above `mark`, moved into a new array; the stack is back at `mark`.
    @inline(__always) func pop(from mark: Int) -> [T] {
        let n = s.pointee.count - mark
        guard n > 0 else { return [] }
        s.pointee.count = mark
        let from = s.pointee.base + mark
        return Array(unsafeUninitializedCapacity: n) { buf, c in
            buf.baseAddress!.moveInitialize(from: from, count: n)
            c = n
        }
    }

    /// Drops the elements above `mark` (a list abandoned by a syntax error); a no-op after `pop(from: mark)`.
    @inline(__always) func discard(from mark: Int) {
        let n = s.pointee.count - mark
        guard n > 0 else { return }
        (s.pointee.base + mark).deinitialize(count: n)
        s.pointee.count = mark
    }
}

/// The stacks one parse shares with its f-string sub-parsers.
final class PyParserLists {
    let exprs = PyListStack<PyExpr>()
    let optionalExprs = PyListStack<PyExpr?>(capacity: 16)
    let keywords = PyListStack<PyKeyword>(capacity: 16)
    let stmts = PyListStack<PyStmt>()
    /// The child of every stand-in node that needs one (problems-only mode).
    let leaf = PyExpr(.invalid, SourceRange(line: 1, column: 1), 0..<0)
}
