// Dockerfile model. Follows BuildKit's parser (moby/buildkit `frontend/dockerfile/parser`) and the
// Dockerfile reference: https://docs.docker.com/reference/dockerfile/

/// Maps offsets in a text assembled from pieces of a file (a joined logical line, a heredoc body)
/// back to byte offsets in that file.
public struct TextOrigin: Hashable, Sendable {
    /// (offset in the assembled text, byte offset in the file) at the start of each piece, ascending.
    public var pieces: [Piece]
    /// One contiguous piece of the assembled text.
    public struct Piece: Hashable, Sendable {
        public var textOffset: Int
        public var fileOffset: Int
        public var length: Int
    }

    public init(pieces: [Piece] = []) { self.pieces = pieces }

    /// File byte offset of a text offset. An offset at the end of a piece maps just past that piece.
    public func fileOffset(of textOffset: Int) -> Int {
        guard !pieces.isEmpty else { return 0 }
        var lo = 0, hi = pieces.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if pieces[mid].textOffset <= textOffset { lo = mid } else { hi = mid - 1 }
        }
        let p = pieces[lo]
        return p.fileOffset + min(max(textOffset - p.textOffset, 0), p.length)
    }

    /// File offset for the end of a half-open range ending at `textOffset` (stays in the piece of the last byte).
    public func fileEndOffset(of textOffset: Int) -> Int {
        textOffset <= 0 ? fileOffset(of: 0) : fileOffset(of: textOffset - 1) + 1
    }
}

/// A parser directive at the top of a Dockerfile (`# syntax=`, `# escape=`, `# check=`).
public struct DockerDirective: Hashable, Sendable {
    public var name: String
    public var value: String
    public var line: Int
}

/// A heredoc attached to a `RUN`/`COPY`/`ADD` instruction (`<<EOF`, `<<-EOF`, `<<"EOF"`).
public struct DockerHeredoc: Hashable, Sendable {
    public var name: String
    /// Body as BuildKit keeps it (each line with its newline); leading tabs stripped for `<<-`.
    public var content: String
    /// `<<-`: leading tabs of body lines and terminator are stripped.
    public var stripsLeadingTabs: Bool
    /// False for a quoted delimiter (`<<'EOF'`, `<<"EOF"`): no variable expansion in the body.
    public var expandsVariables: Bool
    public var fileDescriptor: Int
    /// 1-based physical line of the first body line.
    public var bodyStartLine: Int
    /// Maps offsets in the UTF-8 of `content` to file byte offsets.
    public var origin: TextOrigin
}

/// One Dockerfile instruction after continuation joining, with BuildKit's argument split.
public struct DockerInstruction: Hashable, Sendable {
    /// Uppercased keyword (`RUN`, `FROM`, …); for `ONBUILD RUN x` this is `ONBUILD`.
    public var keyword: String
    /// Keyword as written.
    public var rawKeyword: String
    /// For `ONBUILD`: the uppercased triggered instruction keyword; arguments and flags are its own.
    public var subKeyword: String?
    /// Whether the keyword is a known Dockerfile instruction.
    public var isKnown: Bool
    /// Flags before the arguments (`--from=builder`, `--mount=…`), quotes removed, as BuildKit reports them.
    public var flags: [String]
    /// The arguments text after keyword and flags (logical line, continuations removed).
    public var rawArguments: String
    /// BuildKit's value list (exec-form argv, whitespace-split COPY args, ENV `k, v, k, v`, …).
    public var arguments: [String]
    /// Offsets (UTF-8, in `original`) of each element of `arguments` when known (JSON elements, split words).
    public var argumentRanges: [Range<Int>?]
    /// Arguments after BuildKit's variable substitution (quotes removed) for the instructions it expands
    /// (FROM, COPY, ADD, ENV, ARG, LABEL, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL); otherwise `arguments`.
    public var expandedArguments: [String]
    /// Exec (JSON array) form.
    public var isJSON: Bool
    public var heredocs: [DockerHeredoc]
    /// The joined logical line (without heredoc bodies).
    public var original: String
    /// UTF-8 offset of `rawArguments` in `original`.
    public var argumentsOffset: Int
    /// Maps UTF-8 offsets of `original` to file bytes.
    public var origin: TextOrigin
    public var startLine: Int
    public var endLine: Int
    public var range: SourceRange

    /// Named flag value: `flag("from")` for `--from=builder` → "builder"; `""` for a bare `--link`.
    public func flag(_ name: String) -> String? {
        let prefix = "--" + name
        for f in flags.reversed() {
            if f == prefix { return "" }
            if f.hasPrefix(prefix + "=") { return String(f.dropFirst(prefix.count + 1)) }
        }
        return nil
    }

    /// All values of a repeatable flag (`--mount`).
    public func flagValues(_ name: String) -> [String] {
        let prefix = "--" + name + "="
        return flags.compactMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil }
    }

    /// The effective keyword (`subKeyword` for ONBUILD).
    public var effectiveKeyword: String { subKeyword ?? keyword }
}

/// A build stage: `FROM image [AS name]` and the instructions up to the next `FROM`.
public struct DockerStage: Hashable, Sendable {
    public var index: Int
    /// Lowercased stage name from `AS name`.
    public var name: String?
    /// Base image after substituting global ARGs (`python:3.11-slim`), or an earlier stage's name.
    public var baseImage: String
    /// Base image as written (`${BASE}:${PY}`).
    public var rawBaseImage: String
    /// `--platform=` value if any.
    public var platform: String?
    /// Index of the earlier stage this one builds on (`FROM builder`).
    public var baseStageIndex: Int?
    /// Index of the `FROM` instruction in `Dockerfile.instructions`.
    public var fromInstructionIndex: Int
    /// Indices in `Dockerfile.instructions` parallel to `instructions`.
    public var instructionIndices: [Int]
    /// The file's instructions: `Dockerfile.instructions` itself (the same storage, set once the semantic pass is
    /// done). A stage kept its own copy of each of its instructions before: a third of a small parsed Dockerfile
    /// (~2.8 MiB of the 16x bench tree's 1,600 Dockerfiles, held while the dependency index is built).
    var fileInstructions: [DockerInstruction] = []

    /// Instructions of the stage, starting with its FROM (a view of the file's, nothing copied).
    public var instructions: StageInstructions { StageInstructions(all: fileInstructions, indices: instructionIndices) }

    public static func == (a: DockerStage, b: DockerStage) -> Bool {
        a.index == b.index && a.name == b.name && a.baseImage == b.baseImage && a.rawBaseImage == b.rawBaseImage
            && a.platform == b.platform && a.baseStageIndex == b.baseStageIndex
            && a.fromInstructionIndex == b.fromInstructionIndex && a.instructionIndices == b.instructionIndices
            && a.instructions.elementsEqual(b.instructions)
    }

    public func hash(into h: inout Hasher) {
        h.combine(index); h.combine(name); h.combine(baseImage); h.combine(rawBaseImage); h.combine(platform)
        h.combine(baseStageIndex); h.combine(fromInstructionIndex); h.combine(instructionIndices)
        for i in instructions { h.combine(i) }
    }
}

/// A stage's instructions, in order: the file's instructions at the stage's indices.
public struct StageInstructions: RandomAccessCollection, Sendable {
    let all: [DockerInstruction]
    let indices: [Int]
    public var startIndex: Int { 0 }
    public var endIndex: Int { indices.count }
    public subscript(position: Int) -> DockerInstruction { all[indices[position]] }
}

/// A parsed Dockerfile.
public struct Dockerfile: Sendable {
    public var directives: [DockerDirective]
    /// Escape character (`\` or backtick).
    public var escapeCharacter: UInt8
    public var instructions: [DockerInstruction]
    public var stages: [DockerStage]
    /// `ARG`s before the first `FROM` with their defaults (nil when none).
    public var globalArgs: [(name: String, value: String?)]
    public var problems: [ParseProblem]
    public var bytes: [UInt8]
    public var lineIndex: LineIndex
    /// `states(of:)` of every stage, filled in once after parsing (a stage chain is walked once, not
    /// once per stage that asks). Not part of the memberwise initialiser's required arguments.
    var stageStatesCache: [[DockerStageState]] = []
    /// `commandLine(of:)` of every stage, filled in once after parsing (same reason).
    var commandLinesCache: [DockerCommandLine] = []

    /// Source range of a UTF-8 range of text described by `origin`.
    public func sourceRange(of textRange: Range<Int>, in origin: TextOrigin) -> SourceRange {
        let s = origin.fileOffset(of: textRange.lowerBound)
        let e = textRange.isEmpty ? s : max(s, origin.fileEndOffset(of: textRange.upperBound))
        return SourceRange(start: lineIndex.location(ofByteOffset: s, in: bytes),
                           end: lineIndex.location(ofByteOffset: e, in: bytes))
    }

    /// Index of the stage named `name` (case-insensitive) or with that numeric index, defined before `before`.
    public func stageIndex(named name: String, before: Int? = nil) -> Int? {
        let limit = before ?? stages.count
        let lower = name.lowercased()
        if let i = stages.prefix(limit).firstIndex(where: { $0.name == lower }) { return i }
        if let n = Int(name), n >= 0, n < limit { return n }
        return nil
    }
}
