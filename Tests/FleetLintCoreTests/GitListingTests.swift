import Foundation
import Testing
import TestSupport
@testable import FleetLintCore

/// `GitListing` parses `ls-files -s -z` and `ls-tree -r -l -z` over their bytes; it must list what splitting each
/// record into fields (as it was) lists, for well-formed output and for anything else git could print.
@Suite("git listings")
struct GitListingTests {
    typealias Listed = (entries: [(path: String, blob: BlobID?, size: Int?)], problems: [ScanProblem])

    /// The parse as it was: `split` on NUL, the fields before the first tab split on spaces.
    static func referenceIndex(_ out: [UInt8]) -> Listed {
        var entries: [(path: String, blob: BlobID?, size: Int?)] = []
        var problems: [ScanProblem] = []
        for record in out.split(separator: 0) {
            guard let tab = record.firstIndex(of: 0x09) else { continue }
            let meta = record[record.startIndex..<tab].split(separator: 0x20)
            guard meta.count == 3 else { continue }
            guard String(decoding: meta[0], as: UTF8.self).hasPrefix("100") else { continue }
            if String(decoding: meta[2], as: UTF8.self) != "0" { continue }
            let pathBytes = record[(tab + 1)...]
            guard let path = String(validating: pathBytes, as: UTF8.self) else {
                problems.append(ScanProblem(path: String(decoding: pathBytes, as: UTF8.self), message: RepositoryScanner.invalidNameMessage))
                continue
            }
            entries.append((path, BlobID(hex: String(decoding: meta[1], as: UTF8.self)), nil))
        }
        return (entries, problems)
    }

    static func referenceTree(_ out: [UInt8]) -> Listed {
        var entries: [(path: String, blob: BlobID?, size: Int?)] = []
        var problems: [ScanProblem] = []
        for record in out.split(separator: 0) {
            guard let tab = record.firstIndex(of: 0x09) else { continue }
            let meta = record[record.startIndex..<tab].split(separator: 0x20, omittingEmptySubsequences: true)
            guard meta.count == 4, meta[1].elementsEqual("blob".utf8) else { continue }
            guard String(decoding: meta[0], as: UTF8.self).hasPrefix("100") else { continue }
            let pathBytes = record[(tab + 1)...]
            guard let path = String(validating: pathBytes, as: UTF8.self) else {
                problems.append(ScanProblem(path: String(decoding: pathBytes, as: UTF8.self), message: RepositoryScanner.invalidNameMessage))
                continue
            }
            entries.append((path, BlobID(hex: String(decoding: meta[2], as: UTF8.self)), Int(String(decoding: meta[3], as: UTF8.self))))
        }
        return (entries, problems)
    }

    static func same(_ a: Listed, _ b: Listed) -> Bool {
        a.problems == b.problems && a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.path == $1.path && $0.blob == $1.blob && $0.size == $1.size }
    }

    @Test func wellFormedOutput() {
        let id = String(repeating: "ab", count: 20)
        let index = Array("100644 \(id) 0\ta.py\u{0}100755 \(id) 0\tbin/run\u{0}120000 \(id) 0\tlink\u{0}160000 \(id) 0\tsub\u{0}100644 \(id) 2\tconflict.py\u{0}".utf8)
        let parsed = GitListing.parseIndex(index)
        #expect(parsed.entries.map(\.path) == ["a.py", "bin/run"])
        #expect(parsed.entries.allSatisfy { $0.blob == BlobID(hex: id) && $0.size == nil })
        let tree = Array("100644 blob \(id)     123\ta.py\u{0}040000 tree \(id)       -\tdir\u{0}100644 blob \(id) 7\tb c.txt\u{0}".utf8)
        let listed = GitListing.parseTree(tree)
        #expect(listed.entries.map(\.path) == ["a.py", "b c.txt"])
        #expect(listed.entries.map(\.size) == [123, 7])
    }

    @Test func sameAsSplittingTheRecords() {
        var rng = SeededGenerator(seed: 31)
        let id = Array(String(repeating: "0f", count: 20).utf8)
        let pieces: [[UInt8]] = [
            Array("100644".utf8), Array("100755".utf8), Array("120000".utf8), Array("10".utf8), Array("blob".utf8), Array("tree".utf8),
            id, Array("0".utf8), Array("1".utf8), Array("00".utf8), Array("123".utf8), Array("-".utf8), [0x20], [0x20, 0x20], [0x09],
            [0x00], Array("a/b.py".utf8), Array("d\u{E9}j\u{E0}.txt".utf8), [0xFF, 0xFE], Array("x y".utf8),
        ]
        for round in 0..<4_000 {
            var out: [UInt8] = []
            for _ in 0..<Int(rng.next() % 30) { out += pieces[Int(rng.next() % UInt64(pieces.count))] }
            if round % 3 == 0 {  // mostly well-formed records, with noise around them
                out += Array("100644 ".utf8) + id + Array(" 0\tp\(round).py\u{0}".utf8)
                out += Array("100644 blob ".utf8) + id + Array("   42\tq\(round).py\u{0}".utf8)
            }
            #expect(Self.same(GitListing.parseIndex(out), Self.referenceIndex(out)), "\(out)")
            #expect(Self.same(GitListing.parseTree(out), Self.referenceTree(out)), "\(out)")
        }
    }
}
