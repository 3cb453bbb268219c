@testable import fleetlint
import Testing

/// The baseline's source lines (`LineCache`): one file's lines kept while its findings are keyed.
@Suite("Line cache")
struct LineCacheTests {
    /// `café.py` in NFC and in NFD are equal Strings but two files: asked for the second right after the first, the
    /// cache gave it the first one's lines, and its baseline entries hashed the other file's code.
    @Test("an NFC and an NFD spelling of one name get their own lines")
    func normalisationTwins() {
        let cache = LineCache()
        let (nfc, nfd) = ("caf\u{E9}.py", "cafe\u{301}.py")
        #expect(cache.lines(of: nfd) { Array("requests.get(a)\n".utf8) } == ["requests.get(a)", ""])
        #expect(cache.lines(of: nfc) { Array("requests.post(b)\r\n".utf8) } == ["requests.post(b)", ""])
        // The same bytes again: kept, not read.
        #expect(cache.lines(of: nfc) { nil } == ["requests.post(b)", ""])
    }
}
