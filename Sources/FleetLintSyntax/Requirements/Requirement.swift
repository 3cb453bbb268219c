// PEP 508 dependency specifiers: https://peps.python.org/pep-0508/
// PEP 685 extra normalisation: https://peps.python.org/pep-0685/
// Behaviour follows `packaging.requirements.Requirement` 26.3.

/// A parsed PEP 508 requirement (`name[extras] specifier ; marker` or `name @ url ; marker`).
public struct Requirement: Hashable, Sendable, CustomStringConvertible {
    /// The project name as written.
    public var name: String
    /// Extras as written, in order (packaging keeps a set; see `normalizedExtras`).
    public var extras: [String]
    public var specifier: SpecifierSet
    public var url: String?
    public var marker: Marker?
    /// Scalar offsets (0-based) of the name and specifier inside the parsed text.
    public var nameSpan: Range<Int>
    public var specifierSpan: Range<Int>

    /// PEP 503 name.
    public var normalizedName: String { PackageName.normalize(name) }
    /// PEP 685: normalised, de-duplicated, sorted extras.
    public var normalizedExtras: [String] { Array(Set(extras.map(PackageName.normalize))).sorted() }

    /// A parse failure: packaging's message, the 0-based scalar span, and the 1-based column where it failed.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        public var spanStart: Int
        public var spanEnd: Int
        /// 1-based column of the position where the parser stopped (packaging's `^`).
        public var column: Int { spanEnd + 1 }
        public var description: String { message }
    }

    /// Parses like `packaging.requirements.Requirement(line)`.
    public static func parse(_ line: String) -> Result<Requirement, ParseError> {
        var t = PEP508Tokenizer(line)
        let p: PEP508Tokenizer.ParsedRequirement
        do { p = try t.parseRequirement() } catch let e as RequirementSyntaxError {
            return .failure(ParseError(message: e.message, spanStart: e.spanStart, spanEnd: e.spanEnd))
        } catch { return .failure(ParseError(message: "\(error)", spanStart: 0, spanEnd: 0)) }
        let spec: SpecifierSet
        switch SpecifierSet.parse(p.specifier) {
        case .success(let s): spec = s
        case .failure(let e):
            return .failure(ParseError(message: "Invalid specifier: '\(e.piece)'", spanStart: p.specifierSpan.lowerBound, spanEnd: p.specifierSpan.upperBound))
        }
        var seen = Set<String>()
        let extras = p.extras.filter { seen.insert($0).inserted }
        return .success(Requirement(name: p.name, extras: extras, specifier: spec, url: p.url.isEmpty ? nil : p.url,
                                    marker: p.marker.map { Marker(elements: Marker.normalizeExtras($0)) },
                                    nameSpan: p.nameSpan, specifierSpan: p.specifierSpan))
    }

    public init(name: String, extras: [String] = [], specifier: SpecifierSet = SpecifierSet([]), url: String? = nil,
                marker: Marker? = nil, nameSpan: Range<Int> = 0..<0, specifierSpan: Range<Int> = 0..<0) {
        self.name = name; self.extras = extras; self.specifier = specifier; self.url = url; self.marker = marker
        self.nameSpan = nameSpan; self.specifierSpan = specifierSpan
    }

    /// `str(Requirement)` as packaging prints it.
    public var description: String {
        var s = name
        if !extras.isEmpty { s += "[" + extras.sorted().joined(separator: ",") + "]" }
        if !specifier.isEmpty { s += specifier.description }
        if let u = url {
            s += " @ " + u
            if marker != nil { s += " " }
        }
        if let m = marker { s += "; " + m.description }
        return s
    }
}
