import FleetLintCore
import FleetLintSyntax
import Foundation
import Testing
import TestSupport
@testable import FleetLintRules

private func findings(_ files: [(String, String)], configuration: String? = nil) throws -> [Finding] {
    try ExampleRunner.findings("fixed-sleep-retry", files: files.map { (path: $0.0, contents: $0.1) }, configuration: configuration)
}

private let retry = """
    import time
    def fetch(session, url):
        for attempt in range(5):
            try:
                return session.get(url)
            except TimeoutError:
                time.sleep(2)
    """

@Suite("fixed-sleep-retry")
struct FixedSleepRetryTests {
    /// `svc/test/` counts as missing-dependency and the adoption figures count it (`TestFiles`); this rule's own globs
    /// took only `tests/`, and reported there at the rule's severity.
    @Test("findings in test files are info by default", arguments: [
        "tests/test_fetch.py", "svc/tests/helpers.py", "svc/test_fetch.py", "svc/fetch_test.py", "conftest.py", "svc/test/helpers.py",
    ])
    func testFilesAreInfo(_ path: String) throws {
        let found = try findings([(path, retry)])
        #expect(found.map(\.severity) == [.info])
    }

    @Test("a file outside tests keeps the rule's severity", arguments: ["svc/fetch.py", "svc/testing/fetch.py", "svc/Tests/fetch.py"])
    func productionIsWarning(_ path: String) throws {
        #expect(try findings([(path, retry)]).map(\.severity) == [.warning])
    }

    @Test("test-severity is configurable")
    func testSeverityOption() throws {
        let found = try findings([("tests/test_fetch.py", retry)], configuration: "[fixed-sleep-retry]\ntest-severity = \"warning\"\n")
        #expect(found.map(\.severity) == [.warning])
    }

    @Test("an unknown test-severity is a configuration error")
    func invalidTestSeverity() {
        #expect(throws: ConfigurationError.self) {
            _ = try findings([("svc/fetch.py", retry)], configuration: "[fixed-sleep-retry]\ntest-severity = \"loud\"\n")
        }
    }

    @Test("one finding per loop, the loop's other sleeps as related locations")
    func oneFindingPerLoop() throws {
        let source = """
            import time
            def send(session, url):
                for attempt in range(3):
                    try:
                        resp = session.post(url)
                        if resp.status_code == 200:
                            return resp
                        if resp.status_code in (429, 503):
                            time.sleep(5)
                            continue
                        return None
                    except OSError:
                        time.sleep(2 ** attempt)
            """
        let found = try findings([("svc/send.py", source)])
        #expect(found.count == 1)
        #expect(found.first?.range.start.line == 9)
        #expect(found.first?.related.map(\.range.start.line) == [13])
    }

    @Test("a retry of the same page inside a pagination loop is a retry; moving to the next page is not")
    func paginationRetry() throws {
        let source = """
            import time
            def pages(session, cursor):
                while cursor:
                    resp = session.get("/items", params={"cursor": cursor})
                    if resp.status_code == 429:
                        time.sleep(2.0)
                        continue
                    cursor = resp.json()["next"]
            def days(session, day, end):
                while day <= end:
                    url = f"/games/{day}"
                    resp = session.get(url)
                    if not resp.ok:
                        day += 1
                        time.sleep(0.5)
                        continue
                    day += 1
            """
        let found = try findings([("svc/pages.py", source)])
        #expect(found.map(\.range.start.line) == [6])
    }

    @Test("a sleep followed by giving up is not a wait between attempts")
    func sleepThenRaise() throws {
        let source = """
            import time
            def fetch(session, url):
                for attempt in range(3):
                    try:
                        return session.get(url)
                    except OSError:
                        time.sleep(1)
                        raise
            """
        #expect(try findings([("svc/fetch.py", source)]).isEmpty)
    }

    @Test("a jittered delay assigned anywhere to the name is jitter")
    func jitterThroughSelfReassignment() throws {
        let source = """
            import random, time
            def listen(connect):
                wait = 1
                while True:
                    try:
                        connect()
                    except OSError:
                        time.sleep(wait)
                        wait = min(wait * 2, 60) * random.uniform(0.5, 1.5)
            """
        #expect(try findings([("svc/listen.py", source)]).isEmpty)
    }

    @Test("min(CONST, x) with x from another module is not known to be fixed")
    func minWithUnknownCall() throws {
        let source = """
            import time
            from shared.backoff import next_delay
            def fetch(session, url):
                for attempt in range(3):
                    try:
                        return session.get(url)
                    except OSError:
                        time.sleep(min(30, next_delay(attempt)))
            """
        #expect(try findings([("svc/fetch.py", source)]).isEmpty)
    }

    @Test("a counting loop's counter may feed an attempt whose success leaves; indexing items with it is a pass over them")
    func counterFeedsAttempt() throws {
        let source = """
            import time
            def fetch(session, url):
                for attempt in range(3):
                    try:
                        return session.get(url, timeout=10 * (attempt + 1), headers={"x-attempt": f"{attempt}"})
                    except OSError:
                        time.sleep(2)
            def first(session, urls):
                for i in range(len(urls)):
                    try:
                        return session.get(urls[i])
                    except OSError:
                        time.sleep(2)
            def pages(session):
                for page in range(1, 50):
                    try:
                        session.get("/items", params={"page": page})
                    except OSError:
                        time.sleep(2)
            """
        #expect(try findings([("svc/fetch.py", source)]).map(\.range.start.line) == [7])
    }

    @Test("a counter stepped by a number counts attempts too, unless it indexes items")
    func whileCounterFeedsAttempt() throws {
        let source = """
            import time
            def fetch(session, url):
                retries = 0
                while retries < 3:
                    try:
                        return session.get(url, timeout=5 * (retries + 1))
                    except OSError:
                        retries += 1
                        time.sleep(2)
            def first(session, urls):
                i = 0
                while i < len(urls):
                    try:
                        return session.get(urls[i])
                    except OSError:
                        i += 1
                        time.sleep(2)
            def walk(session, day, end):
                while day <= end:
                    try:
                        session.get(f"/games/{day}")
                    except OSError:
                        pass
                    time.sleep(0.5)
                    day += 1
            """
        #expect(try findings([("svc/fetch.py", source)]).map(\.range.start.line) == [9])
    }

    @Test("going round from inside a try whose success leaves the loop is a failed attempt, whatever the check compares")
    func continueInsideAttempt() throws {
        let source = """
            import time
            def page(session, url):
                for attempt in range(3):
                    try:
                        resp = session.get(url)
                        if resp.status_code != 200:
                            time.sleep(5)
                            continue
                        data = resp.json()
                        if data.get("message") == "Endpoint request timed out":
                            time.sleep(5)
                            continue
                        return data
                    except OSError:
                        time.sleep(5)
            """
        let found = try findings([("svc/page.py", source)])
        #expect(found.map(\.range.start.line) == [7])
        #expect(found.first?.related.map(\.range.start.line) == [11, 15])
    }

    @Test("going round on a state inside the try is polling; the failed call's handler still retries")
    func pollingInsideAttempt() throws {
        let source = """
            import time
            def wait(client, job_id):
                for _ in range(60):
                    try:
                        job = client.get_job(job_id)
                        if job.state in ("PENDING", "RUNNING"):
                            time.sleep(5)
                            continue
                        return job
                    except OSError:
                        time.sleep(5)
            """
        let found = try findings([("svc/wait.py", source)])
        #expect(found.map(\.range.start.line) == [11])
        #expect(found.first?.related.isEmpty == true)
    }

    @Test("a truthy value named for a failure is a failure check; the same check of a result is success")
    func errorNamedValues() throws {
        let source = """
            import time
            def query(session, url, body):
                for attempt in range(3):
                    result = session.post(url, json=body).json()
                    if result.get("errors"):
                        time.sleep(2)
                        continue
                    return result["data"]
            def follow(session, url, handle):
                while True:
                    result = session.get(url).json()
                    if result.get("items"):
                        handle(result["items"])
                        time.sleep(30)
            """
        #expect(try findings([("svc/query.py", source)]).map(\.range.start.line) == [6])
    }

    @Test("a sleep capped by what is left of a budget built from locals waits the constant")
    func budgetThroughLocals() throws {
        let source = """
            import time
            PAUSE = 5
            ATTEMPTS = 6
            def grab(lock, max_wait_seconds=None):
                max_wait = max_wait_seconds or (ATTEMPTS * PAUSE)
                start = time.time()
                acquired = False
                while not acquired and time.time() - start < max_wait:
                    acquired = lock.try_acquire()
                    if not acquired:
                        remaining = max_wait - (time.time() - start)
                        if remaining <= 0:
                            break
                        time.sleep(min(PAUSE, remaining))
            """
        let found = try findings([("svc/lock.py", source)])
        #expect(found.map(\.message) == ["retry loop sleeps a fixed 5 s between attempts"])
    }

    @Test("work after the exit's check makes it a guard: a worker or drain loop, not a retry")
    func guardThenWork() throws {
        let source = """
            import time
            def serve(queue, run):
                for _ in range(100):
                    try:
                        job = queue.get()
                        if job is not None:
                            return job
                        job = queue.refill()
                        run(job)
                    except OSError:
                        pass
                    time.sleep(5)
            """
        #expect(try findings([("svc/serve.py", source)]).isEmpty)
    }

    @Test("walks and delay classification are bounded on a 100,000-deep expression (512 KiB stack)")
    func deepExpressionDoesNotOverflow() throws {
        let tree = PyTree()
        defer { withExtendedLifetime(tree) {} }
        let one = tree.expr(.constant(.number("1")), SourceRange(line: 1, column: 1), 0..<1)
        var deep = one
        for _ in 0..<100_000 { deep = tree.expr(.binOp(left: deep, op: .add, right: one), SourceRange(line: 1, column: 1), 0..<1) }
        let file = AnalyzedFile(path: "m.py", kind: .python, bytes: Array("import time\n".utf8))
        let python = try #require(PythonFileParser().parse(file).artifact as? PythonFile)
        let deepExpression = deep
        final class Box: @unchecked Sendable { var names = -1; var kind = "" }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.names = TreeWalk.names(in: deepExpression).count
            var analyzer = DelayAnalyzer(facts: RetryFileFacts(python: python), jitteredHelpers: [])
            box.kind = analyzer.classify(deepExpression, scope: python.semantic.moduleScope, depth: 0).kindName
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        done.wait()
        #expect(box.names == 0)
        #expect(box.kind == "unknown")
    }
}
