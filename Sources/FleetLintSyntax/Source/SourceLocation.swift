/// A position in a source file: 1-based line and 1-based column counted in Unicode scalars
/// (code points), as the JSON report contract requires.
public struct SourceLocation: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A half-open range `[start, end)` in one file. `end` is the position just after the last character.
public struct SourceRange: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// A range covering `length` scalars on one line.
    public init(line: Int, column: Int, length: Int = 1) {
        self.start = SourceLocation(line: line, column: column)
        self.end = SourceLocation(line: line, column: column + max(length, 0))
    }

    public static func < (lhs: SourceRange, rhs: SourceRange) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }

    public var description: String { "\(start)-\(end)" }
}

/// A problem a parser met in its input. Parsers never throw for a malformed line; they record one of
/// these and keep going. Rules decide whether a problem is reported (usually as `invalid-requirement`
/// or `parse-error`).
public struct ParseProblem: Hashable, Sendable, Codable {
    /// A short, stable machine-readable kind, e.g. `glued-requirements`, `unknown-option`.
    public var code: String
    /// A present-tense, lowercase message with code in backticks; never contains a secret.
    public var message: String
    public var range: SourceRange
    /// Optional remedy.
    public var help: String?

    public init(code: String, message: String, range: SourceRange, help: String? = nil) {
        self.code = code
        self.message = message
        self.range = range
        self.help = help
    }
}
