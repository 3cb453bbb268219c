// PEP 508 environment markers: https://peps.python.org/pep-0508/#environment-markers
// Grammar, normalisation, printing and evaluation follow `packaging` 26.3 (`_tokenizer.py`,
// `_parser.py`, `markers.py`).

/// The values markers are evaluated against. `.default` is Linux x86_64, CPython 3.11.7.
public struct MarkerEnvironment: Hashable, Sendable {
    public var values: [String: String]
    public init(_ values: [String: String]) { self.values = values }

    public static let `default` = MarkerEnvironment([
        "implementation_name": "cpython",
        "implementation_version": "3.11.7",
        "os_name": "posix",
        "platform_machine": "x86_64",
        "platform_release": "6.1.0-18-amd64",
        "platform_system": "Linux",
        "platform_version": "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)",
        "python_full_version": "3.11.7",
        "platform_python_implementation": "CPython",
        "python_version": "3.11",
        "sys_platform": "linux",
    ])

    /// A copy with some values replaced.
    public func with(_ changes: [String: String]) -> MarkerEnvironment {
        MarkerEnvironment(values.merging(changes) { $1 })
    }
}

/// A syntax error with packaging's message and its span (0-based scalar offsets into the parsed text).
public struct RequirementSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var spanStart: Int
    public var spanEnd: Int
    public init(message: String, spanStart: Int, spanEnd: Int) {
        self.message = message; self.spanStart = spanStart; self.spanEnd = spanEnd
    }
    public var description: String { message }
}

/// A parsed marker expression.
public struct Marker: Hashable, Sendable, CustomStringConvertible {
    /// One side of a comparison.
    public enum Operand: Hashable, Sendable {
        case variable(String)
        case value(String)
        var serialized: String {
            switch self {
            case .variable(let v): return v
            case .value(let v): return v.contains("\"") ? "'\(v)'" : "\"\(v)\""
            }
        }
    }

    /// A node of packaging's marker list: `[atom, "and", atom, "or", atom]`.
    public indirect enum Element: Hashable, Sendable {
        case item(Operand, String, Operand)
        case list([Element])
        case and
        case or
    }

    public var elements: [Element]

    /// Parses a standalone marker (`Marker(text)`); the error carries packaging's message and span.
    public static func parse(_ text: String) -> Result<Marker, RequirementSyntaxError> {
        var t = PEP508Tokenizer(text)
        do {
            let m = try t.parseMarker()
            try t.expectEnd("end of marker expression")
            return .success(Marker(elements: Marker.normalizeExtras(m)))
        } catch let e as RequirementSyntaxError {
            return .failure(e)
        } catch { return .failure(RequirementSyntaxError(message: "\(error)", spanStart: 0, spanEnd: 0)) }
    }

    public init(elements: [Element]) { self.elements = elements }

    public init?(_ text: String) {
        guard case .success(let m) = Marker.parse(text) else { return nil }
        self = m
    }

    static func normalizeExtras(_ list: [Element]) -> [Element] {
        list.map { e in
            switch e {
            case .list(let l): return .list(normalizeExtras(l))
            case let .item(.variable("extra"), op, .value(v)): return .item(.variable("extra"), op, .value(PackageName.normalize(v)))
            case let .item(.value(v), op, .variable("extra")): return .item(.value(PackageName.normalize(v)), op, .variable("extra"))
            case let .item(.value(v), op, .variable(k)) where k == "extras" || k == "dependency_groups":
                return .item(.value(PackageName.normalize(v)), op, .variable(k))
            default: return e
            }
        }
    }

    /// The marker as packaging prints it.
    public var description: String { Marker.format(.list(elements), first: true) }

    static func format(_ e: Element, first: Bool) -> String {
        switch e {
        case .list(let l):
            if l.count == 1 {
                switch l[0] {
                case .list, .item: return format(l[0], first: first)
                default: break
                }
            }
            let inner = l.map { format($0, first: false) }.joined(separator: " ")
            return first ? inner : "(" + inner + ")"
        case let .item(a, op, b): return "\(a.serialized) \(op) \(b.serialized)"
        case .and: return "and"
        case .or: return "or"
        }
    }

    /// An evaluation failure (packaging's `UndefinedComparison` / `UndefinedEnvironmentName`).
    public enum EvaluationError: Error, Hashable, Sendable {
        case undefinedComparison(String)
        case undefinedEnvironmentName(String)
    }

    /// Evaluates in packaging's default "metadata" context: `extra` is the given extra (normalised) or "".
    public func evaluate(in environment: MarkerEnvironment = .default, extra: String? = nil) -> Bool {
        (try? evaluateThrowing(in: environment, extra: extra)) ?? false
    }

    /// Like `evaluate`, but reports packaging's evaluation errors.
    public func evaluateThrowing(in environment: MarkerEnvironment = .default, extra: String? = nil) throws -> Bool {
        var env = environment.values
        env["extra"] = extra.map { $0.isEmpty ? "" : PackageName.normalize($0) } ?? ""
        if let v = env["python_full_version"], v.hasSuffix("+") { env["python_full_version"] = v + "local" }
        return try Marker.eval(elements, env)
    }

    static let versionKeys: Set<String> = ["implementation_version", "platform_release", "python_full_version", "python_version"]

    static func eval(_ list: [Element], _ env: [String: String]) throws -> Bool {
        var groups: [[Bool]] = [[]]
        for e in list {
            switch e {
            case .list(let l): groups[groups.count - 1].append(try eval(l, env))
            case .or: groups.append([])
            case .and: break
            case let .item(l, op, r):
                let key: String, lhs: String, rhs: String
                switch (l, r) {
                case let (.variable(k), _):
                    key = k
                    guard let v = env[k] else { throw EvaluationError.undefinedEnvironmentName(k) }
                    lhs = v
                    switch r { case .variable(let k2): rhs = k2
                    case .value(let s): rhs = s }
                case let (.value(s), .variable(k)):
                    key = k
                    lhs = s
                    guard let v = env[k] else { throw EvaluationError.undefinedEnvironmentName(k) }
                    rhs = v
                case let (.value(s), .value(s2)):
                    key = s2
                    lhs = s
                    guard let v = env[s2] else { throw EvaluationError.undefinedEnvironmentName(s2) }
                    rhs = v
                }
                groups[groups.count - 1].append(try evalOp(lhs, op, rhs, key: key))
            }
        }
        return groups.contains { $0.allSatisfy { $0 } }
    }

    static func evalOp(_ lhs0: String, _ op: String, _ rhs0: String, key: String) throws -> Bool {
        var lhs = lhs0, rhs = rhs0
        if key == "extras" || key == "dependency_groups" {
            lhs = PackageName.normalize(lhs); rhs = PackageName.normalize(rhs)
        }
        if versionKeys.contains(key), let spec = Specifier(op + rhs) {
            return spec.contains(lhs, prereleases: true)
        }
        switch op {
        case "in": return markerScalarContains(rhs, lhs)
        case "not in": return !markerScalarContains(rhs, lhs)
        case "<", ">": return false
        case "<=", "==", ">=": return lhs.unicodeScalars.elementsEqual(rhs.unicodeScalars)
        case "!=": return !lhs.unicodeScalars.elementsEqual(rhs.unicodeScalars)
        default: throw EvaluationError.undefinedComparison("Undefined \(op) on \(lhs) and \(rhs).")
        }
    }
}

/// Python's `needle in haystack` for strings (scalar-wise, no Unicode canonical equivalence).
func markerScalarContains(_ haystack: String, _ needle: String) -> Bool {
    let h = Array(haystack.unicodeScalars), n = Array(needle.unicodeScalars)
    if n.isEmpty { return true }
    if n.count > h.count { return false }
    var i = 0
    while i + n.count <= h.count {
        if h[i] == n[0] {
            var k = 1
            while k < n.count && h[i + k] == n[k] { k += 1 }
            if k == n.count { return true }
        }
        i += 1
    }
    return false
}
