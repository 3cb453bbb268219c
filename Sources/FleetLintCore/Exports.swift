// Re-exports the parser layer so that rules and tools see `Glob`, `SourceRange` and friends with one import.
@_exported import FleetLintSyntax
