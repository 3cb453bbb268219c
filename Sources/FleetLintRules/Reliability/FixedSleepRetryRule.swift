import FleetLintCore
import FleetLintSyntax

/// A retry loop whose wait between attempts is the same for every client (a constant, or a backoff with
/// no random jitter), and retry decorators configured the same way.
public struct FixedSleepRetryRule: BuiltInRule, FileRule {
    public static let description = RuleDescription(
        id: "fixed-sleep-retry",
        summary: "Retry loop waits a constant interval, or backs off without jitter",
        category: .reliability,
        defaultSeverity: .warning,
        inputs: [.python],
        rationale: """
            ## What it does
            Finds retry loops by their structure — a `for`/`while` loop in which a failure (an `except`
            handler that does not leave the loop, or a check of the operation's result such as `if not got:`
            or `if resp.status_code == 200: break`) leads back to the same operation in the next iteration —
            and flags the `time.sleep(...)`/`asyncio.sleep(...)` on that failure path when its delay is a
            constant or a deterministic backoff (`2 ** attempt`, `min(cap, ...)`) with no randomness. The
            success exit may be nested: a `return`/`break` under a check of the result inside the `try`
            (`if resp.status_code == 200: return resp.json()`), in its `else:` or in a `with` block, or a
            flag the attempt sets (`ok = resp.ok`, `success = True`). A check reads by its polarity: true on
            success (`resp.ok`, `x is not None`, a 2xx code) or on failure (`not batch`, `job is None`, a
            4xx/5xx code, a value named for one: `if errors:`); `job.done()`, `stop.is_set()` read a state
            or a signal, which is polling. An exit on an empty or missing result (`if job is None: return`),
            or one followed by more work, ends a drain or worker loop, and a sleep on the success branch
            (`if resp.ok: handle(resp); sleep(60)`) paces the next round: neither is a retry. One finding
            per loop; the loop's other jitter-free sleeps are related locations. The delay is traced through
            assignments (also a delay re-assigned through itself, `wait = min(wait * 2, 60)`), defaults of
            the enclosing functions (decorator factories and closures), class and instance attributes
            (`self.BASE`), constant tables indexed by the attempt (`DELAYS[attempt]`) and helper functions
            in the same file; `min(PAUSE, remaining)` waits `PAUSE`. Anything from `random`, `numpy.random`
            or `secrets` counts as jitter. Also flags tenacity `wait_fixed`/`wait_exponential` not combined
            with a random wait, and `backoff.on_exception(..., jitter=None)`. A loop over items that sleeps
            between them (pacing), a loop that waits for a state to change (polling) and waits the server
            asks for (`Retry-After`) are not retries; an attempt counter (`for attempt in range(3)`,
            `retries += 1`) may feed an attempt whose success leaves (`timeout=10 * attempt`) unless it
            indexes items (`urls[i]`). Findings in test files (under a `tests/` or `test/` directory,
            `test_*.py`, `*_test.py`, `conftest.py`) are reported at `test-severity` (default `info`).

            ## Why is this bad?
            When a dependency blips, every client fails at the same moment and, with the same delay, retries
            at the same moment too: the herd arrives in lockstep, the dependency falls over again, and the
            outage lasts as long as the retries do. Random jitter spreads the retries out.

            ## Example
            ```python
            for attempt in range(5):
                try:
                    return session.get(url, timeout=10)
                except ConnectionError:
                    time.sleep(2 ** attempt)
            ```

            ## Use instead
            ```python
            for attempt in range(5):
                try:
                    return session.get(url, timeout=10)
                except ConnectionError:
                    time.sleep(random.uniform(0, min(30, 2 ** attempt)))  # full jitter
            ```
            """,
        options: [
            "jittered-helpers": "glob patterns of function names that implement jittered retries (default `*retry_with_jitter*`)",
            "helper": "the repository's jittered retry helper to recommend in `help` (e.g. `shared.retry.retry_with_jitter`)",
            "test-severity": "severity of findings in test files (under `tests/` or `test/`, `test_*.py`, `*_test.py`, `conftest.py`): `info` (default), `warning` or `error`",
        ],
        triggering: [
            Example(path: "svc/poll.py", """
                import time
                def fetch(session, url):
                    for attempt in range(5):
                        try:
                            return session.get(url)
                        except TimeoutError:
                            ↓time.sleep(2)
                """),
            Example(path: "svc/backoff.py", """
                import time
                def fetch(session, url):
                    for attempt in range(5):
                        try:
                            return session.get(url)
                        except TimeoutError:
                            ↓time.sleep(min(30, 2 ** attempt))
                """),
            Example(path: "svc/status.py", """
                from time import sleep
                RETRY_DELAY = 5
                def fetch(session, url):
                    retries = 0
                    while retries < 3:
                        resp = session.get(url)
                        if resp.status_code == 200:
                            break
                        retries += 1
                        ↓sleep(RETRY_DELAY)
                """),
            Example(path: "svc/helper.py", """
                import time
                def delay_for(n):
                    return 2 ** n
                def fetch(session, url):
                    for attempt in range(5):
                        try:
                            return session.get(url)
                        except OSError:
                            wait = delay_for(attempt)
                            ↓time.sleep(wait)
                """),
            Example(path: "svc/tasks.py", """
                from tenacity import retry, wait_fixed
                @retry(wait=↓wait_fixed(2))
                def publish(message):
                    return message
                """),
            Example(path: "svc/send.py", """
                import backoff
                @↓backoff.on_exception(backoff.expo, OSError, jitter=None)
                def send(payload):
                    return payload
                """),
            // Issue 14, A: a class attribute in the delay.
            Example(path: "svc/loader.py", """
                import time
                class Loader:
                    BASE = 2.0
                    def load(self):
                        for attempt in range(1, 4):
                            try: return self.fetch()
                            except OSError: pass
                            ↓time.sleep(self.BASE * (2 ** (attempt - 1)))
                """),
            // B: a constant table indexed by the attempt.
            Example(path: "svc/jobs.py", """
                import time
                DELAYS = (10, 20, 40)
                def run(job):
                    for attempt in range(3):
                        try: return job()
                        except OSError: ↓time.sleep(DELAYS[attempt])
                """),
            // C: defaults of the enclosing function (a decorator factory).
            Example(path: "svc/retrying.py", """
                import time
                def retrying(tries=3, base=1.0, cap=20.0):
                    def deco(fn):
                        def inner(*a, **k):
                            for attempt in range(tries):
                                try: return fn(*a, **k)
                                except OSError: ↓time.sleep(min(base * 2 ** attempt, cap))
                        return inner
                    return deco
                """),
            // D: a delay re-assigned through itself.
            Example(path: "svc/listen.py", """
                import asyncio
                async def listen(stop, connect):
                    wait = 1
                    while not stop.is_set():
                        try: await connect()
                        except OSError:
                            await ↓asyncio.sleep(wait)
                            wait = min(wait * 2, 60)
                """),
            // E: an acquire loop; `min(CONST, remaining)` waits the constant.
            Example(path: "svc/lock.py", """
                import time
                PAUSE = 3
                def grab(lock, budget):
                    start, got = time.time(), False
                    while not got and time.time() - start < budget:
                        got = lock.try_acquire()
                        if not got:
                            ↓time.sleep(min(PAUSE, budget))
                """),
            // A loop over a delay schedule.
            Example(path: "svc/schedule.py", """
                import time
                def fetch(session, url):
                    for delay in (1, 5, 30):
                        try:
                            return session.get(url)
                        except OSError:
                            ↓time.sleep(delay)
                """),
            // An instance attribute set from a defaulted constructor parameter; one finding per loop.
            Example(path: "svc/poller.py", """
                import time
                class Client:
                    def __init__(self, session, retry_delay=5):
                        self.session = session
                        self.retry_delay = retry_delay
                    def get(self, url):
                        for _ in range(3):
                            try:
                                return self.session.get(url)
                            except ConnectionError:
                                ↓time.sleep(self.retry_delay)
                            except TimeoutError:
                                time.sleep(self.retry_delay * 2)
                """),
            // A helper method on `self` computes the backoff.
            Example(path: "svc/method.py", """
                import time
                class Sync:
                    def _backoff(self, attempt):
                        return 2 ** attempt
                    def push(self, item):
                        for attempt in range(4):
                            try:
                                return self.send(item)
                            except OSError:
                                ↓time.sleep(self._backoff(attempt))
                """),
            // The success exit nested in the `try`, under a check of the response.
            Example(path: "svc/checked.py", """
                import time
                import requests
                def fetch(url):
                    for attempt in range(5):
                        try:
                            resp = requests.get(url, timeout=10)
                            if resp.status_code == 200:
                                return resp.json()
                        except requests.RequestException:
                            pass
                        ↓time.sleep(2)
                """),
            // The success exit in the `else:` of the `try`.
            Example(path: "svc/orelse.py", """
                import time
                def fetch(session, url):
                    for attempt in range(5):
                        try:
                            resp = session.get(url)
                        except OSError:
                            pass
                        else:
                            if resp.ok:
                                return resp.json()
                        ↓time.sleep(2)
                """),
            // A model load whose success is a state it sets; the wait is guarded by the failure check.
            Example(path: "svc/model.py", """
                import logging, time
                log = logging.getLogger(__name__)
                class Predictor:
                    model = None
                    def load(self, read_model):
                        delay = 1.0
                        for attempt in range(1, 4):
                            try:
                                self.model = read_model()
                                if self.model is not None:
                                    break
                            except OSError as e:
                                log.warning("load failed: %s", e)
                            if self.model is None and attempt < 3:
                                ↓time.sleep(delay)
                                delay *= 2
                """),
            // Checks nested two deep; after them the attempt only records why it failed.
            Example(path: "svc/events.py", """
                import logging, time
                log = logging.getLogger(__name__)
                def events(scraper, date):
                    last_error = None
                    for attempt in range(1, 4):
                        try:
                            result = scraper.run(date)
                            if result and "events" in result:
                                ids = list(result["events"])
                                if ids:
                                    return ids
                            log.warning("no events for %s", date)
                            last_error = LookupError(date)
                        except Exception as e:
                            last_error = e
                        if attempt < 3:
                            ↓time.sleep(15 * 2 ** (attempt - 1))
                    raise RuntimeError(date) from last_error
                """),
            // A flag the attempt sets at the end of its `try`.
            Example(path: "svc/flag.py", """
                import time
                def publish(client, message):
                    for attempt in range(3):
                        sent = False
                        try:
                            client.publish(message)
                            sent = True
                        except ConnectionError:
                            pass
                        if sent:
                            break
                        ↓time.sleep(5)
                """),
            // A flag computed from the result.
            Example(path: "svc/created.py", """
                import time
                def push(session, url, body):
                    for attempt in range(4):
                        resp = session.post(url, json=body)
                        ok = resp.status_code in (200, 201)
                        if ok:
                            return resp
                        ↓time.sleep(3)
                """),
            // `while True`: `continue` on a failed call, `break` after a check of the result.
            Example(path: "svc/connect.py", """
                import time
                def connect(factory):
                    while True:
                        try:
                            conn = factory()
                        except OSError:
                            ↓time.sleep(1)
                            continue
                        if conn.ping():
                            return conn
                        time.sleep(1)
                """),
            // The success exit inside a `with` block.
            Example(path: "svc/lease.py", """
                import time
                def lease(pool, name):
                    for attempt in range(5):
                        with pool.connection() as conn:
                            grant = conn.acquire(name)
                            if grant is not None:
                                return grant
                        ↓time.sleep(2)
                """),
        ],
        nonTriggering: [
            Example(path: "svc/jitter.py", """
                import random, time
                def fetch(session, url):
                    for attempt in range(5):
                        try:
                            return session.get(url)
                        except TimeoutError:
                            time.sleep(random.uniform(0, 2 ** attempt))
                """),
            Example(path: "svc/pacing.py", """
                import time
                def crawl(session, urls):
                    for url in urls:
                        session.get(url)
                        time.sleep(1)
                """),
            Example(path: "svc/polling.py", """
                import time
                def wait(job):
                    while not job.done():
                        time.sleep(5)
                """),
            Example(path: "svc/server.py", """
                import time
                def fetch(session, url):
                    for attempt in range(5):
                        resp = session.get(url)
                        if resp.status_code != 429:
                            return resp
                        time.sleep(int(resp.headers["Retry-After"]))
                """),
            Example(path: "svc/tenacity_ok.py", """
                from tenacity import retry, wait_exponential, wait_random
                @retry(wait=wait_exponential(max=30) + wait_random(0, 2))
                def publish(message):
                    return message
                """),
            Example(path: "svc/dates.py", """
                import time
                def backfill(session, day, end):
                    while day <= end:
                        try:
                            session.get(f"/games/{day}")
                        except OSError:
                            pass
                        time.sleep(0.5)
                        day += 1
                """),
            Example(path: "svc/gives_up.py", """
                import time
                def fetch(session, urls):
                    for url in urls:
                        try:
                            session.get(url)
                        except TimeoutError:
                            raise
                        time.sleep(1)
                """),
            // A loop over items that paces itself with a class attribute.
            Example(path: "svc/scraper.py", """
                import time
                class Scraper:
                    RATE_LIMIT_DELAY = 1.5
                    def scrape(self, session, pages):
                        for page in pages:
                            try:
                                session.get(page)
                            except OSError:
                                continue
                            time.sleep(self.RATE_LIMIT_DELAY)
                """),
            // A loop variable with "tri" in its name is not an attempt counter.
            Example(path: "svc/districts.py", """
                import time
                def refresh(session, districts):
                    for district in districts:
                        try:
                            session.post(f"/districts/{district}")
                        except OSError:
                            time.sleep(1)
                """),
            // Polling a job's state with a fixed interval.
            Example(path: "svc/job.py", """
                import time
                def wait_done(job):
                    for _ in range(60):
                        state = job.reload().state
                        if state == "DONE":
                            return
                        time.sleep(5)
                """),
            // A worker loop that sleeps after every batch, failed or not.
            Example(path: "svc/worker.py", """
                import time
                def serve(queue):
                    while True:
                        try:
                            queue.process_batch()
                        except OSError:
                            pass
                        time.sleep(10)
                """),
            // The loop with full jitter.
            Example(path: "svc/checked_jitter.py", """
                import random, time
                import requests
                def fetch(url):
                    for attempt in range(5):
                        try:
                            resp = requests.get(url, timeout=10)
                            if resp.status_code == 200:
                                return resp.json()
                        except requests.RequestException:
                            pass
                        time.sleep(random.uniform(0, min(30, 2 ** attempt)))
                """),
            // A drain loop: it leaves when nothing is left, and paces the batches it handles.
            Example(path: "svc/drain.py", """
                import time
                def drain(queue, handle):
                    while True:
                        batch = queue.fetch()
                        if not batch:
                            break
                        handle(batch)
                        time.sleep(1)
                """),
            // A worker: the exit is a shutdown sentinel, and a job runs after the check.
            Example(path: "svc/jobs_worker.py", """
                import time
                def work(queue, run):
                    while True:
                        try:
                            job = queue.get()
                            if job is None:
                                return
                            run(job)
                        except Exception:
                            pass
                        time.sleep(5)
                """),
            // Polling a state inside a `try`.
            Example(path: "svc/job_state.py", """
                import time
                def wait_done(job):
                    for _ in range(60):
                        try:
                            state = job.reload().state
                            if state == "DONE":
                                return
                        except OSError:
                            pass
                        time.sleep(5)
                """),
            // Failing over to the next host is not a retry of the same call.
            Example(path: "svc/failover.py", """
                import time
                def first_healthy(session, hosts):
                    for host in hosts:
                        try:
                            resp = session.get(f"https://{host}/health")
                            if resp.ok:
                                return host
                        except OSError:
                            pass
                        time.sleep(1)
                """),
            // Polling a future's state, and a consumer that stops on a signal.
            Example(path: "svc/future.py", """
                import time
                def wait(client, job_id):
                    for _ in range(60):
                        job = client.get_job(job_id)
                        if job.done():
                            return job.result()
                        time.sleep(5)
                def consume(queue, stop):
                    while True:
                        try:
                            queue.consume()
                            if stop.is_set():
                                break
                        except Exception:
                            pass
                        time.sleep(1)
                """),
            // A sleep on the success branch paces the next poll.
            Example(path: "svc/follow.py", """
                import time
                def follow(session, url, stop, handle):
                    while not stop.is_set():
                        resp = session.get(url)
                        if resp.status_code == 200:
                            handle(resp.json())
                            time.sleep(30)
                """),
        ]
    )

    let jitteredHelpers: [String]
    /// `jitteredHelpers`, compiled once.
    let jitteredHelperGlobs: [Glob]
    let helper: String?
    let testSeverity: Severity

    public init(options: OptionsTable) throws(ConfigurationError) {
        try options.validateKeys(Self.description.options.keys)
        jitteredHelpers = try options.stringArray("jittered-helpers") ?? ["*retry_with_jitter*"]
        jitteredHelperGlobs = jitteredHelpers.map(Glob.init)
        helper = try options.string("helper")
        let severityText = try options.string("test-severity") ?? "info"
        guard let severity = Severity(rawValue: severityText) else {
            throw options.error("test-severity", "`test-severity` must be \"info\", \"warning\" or \"error\", not \"\(severityText)\"")
        }
        testSeverity = severity
    }

    static let sleepCallees: Set<String> = ["time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep", "gevent.sleep", "eventlet.sleep"]
    static let randomPrefixes = ["random.", "numpy.random.", "secrets.", "np.random."]
    static let fixedWaits: Set<String> = [
        "tenacity.wait_fixed", "tenacity.wait_exponential", "tenacity.wait_incrementing",
        "tenacity.wait.wait_fixed", "tenacity.wait.wait_exponential", "tenacity.wait.wait_incrementing",
    ]

    /// `sleepCallees` and `fixedWaits`, asked of every call whose name passes `mayConcern`: they hash a name only
    /// when its first and last bytes can start and end a member (`time.time` passes `mayConcern`, not these).
    static let sleepNames = QualifiedNameSet(sleepCallees)
    /// At most this many jitter-free sleeps of one loop are asked whether they retry (each question walks the loop): a
    /// loop of thousands of them (generated or hostile code) took time quadratic in its size. The loop's later sleeps
    /// are not asked: they are not listed with its finding, and a loop whose first 64 such sleeps do not retry (all on
    /// its success path, say) is not reported. Real loops have a few.
    public static let maxSleepsAskedPerLoop = 64
    static let fixedWaitNames = QualifiedNameSet(fixedWaits)

    /// Whether a qualified name can be one this rule looks at: a sleep (every one ends in `sleep`), a
    /// tenacity wait or a backoff decorator (they start with `t` and `b`). Most calls of a file are
    /// none of them; this answers for them without hashing the name. A non-ASCII first or last byte
    /// goes on to the sets, which compare by canonical equivalence.
    @inline(__always)
    static func mayConcern(_ name: String) -> Bool {
        guard let (first, last) = edgeBytes(name) else { return false }
        return last == 0x70 || first == 0x74 || first == 0x62 || first >= 0x80 || last >= 0x80
    }

    /// The first and last UTF-8 bytes of a name (nil when empty), from the string's own storage when it has one:
    /// the generic `utf8.first`/`utf8.last` cost ~100 instructions a call, and this is asked of every call.
    @inline(__always)
    static func edgeBytes(_ name: String) -> (UInt8, UInt8)? {
        if let edges = name.utf8.withContiguousStorageIfAvailable({ b -> (UInt8, UInt8)? in b.isEmpty ? nil : (b[0], b[b.count - 1]) }) {
            return edges
        }
        guard let first = name.utf8.first, let last = name.utf8.last else { return nil }
        return (first, last)
    }

    /// One jitter-free sleep of a retry loop.
    struct RetrySleep {
        let call: PyCallRecord
        let delay: DelayAnalyzer.Delay
        let text: String
    }

    public func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] {
        guard let python = file.python else { return [] }
        // Only a finding needs the severity: most files have none.
        lazy var severity: Severity? = TestFiles.contains(file.path) ? testSeverity : nil
        var out: [Finding] = []
        let helpText = helper.map { "use `\($0)`, or " } ?? ""
        let help = helpText + "sleep a random amount: full jitter `random.uniform(0, min(cap, base * 2 ** attempt))` or decorrelated jitter"
        let globs = jitteredHelperGlobs
        var facts: RetryFileFacts?
        // Sleeps of one loop, in source order, keyed by the loop; loops in order of their first sleep.
        var loops: [PyStmt: [RetrySleep]] = [:]
        var loopOrder: [PyStmt] = []
        var asked: [PyStmt: Int] = [:]

        // By index, and a record copied only for a name this rule looks at (a record holds 3 references).
        let calls = python.semantic.calls
        for index in calls.indices {
            guard let name = calls[index].qualifiedName, Self.mayConcern(name) else { continue }
            let call = calls[index]
            if Self.sleepNames.contains(name) {
                guard let loop = call.enclosingLoops.last else { continue }
                if context.isOverBudget { return out }  // the engine reports the file as over its budget
                guard let arg = call.args.first ?? call.keywords.first(where: { $0.name == "seconds" || $0.name == "delay" })?.value else { continue }
                let fileFacts = facts ?? RetryFileFacts(python: python)
                facts = fileFacts
                // Both must hold; the delay is the cheaper question (a few thousand instructions against
                // the loop's tens of thousands), and most sleeps in loops already jitter.
                var analyzer = DelayAnalyzer(facts: fileFacts, jitteredHelpers: globs)
                let delay = analyzer.classify(arg, scope: call.scope, depth: 0)
                guard delay.rank <= DelayAnalyzer.Delay.deterministic.rank else { continue }
                let questions = asked[loop, default: 0]
                guard questions < Self.maxSleepsAskedPerLoop else { continue }
                asked[loop] = questions + 1
                guard RetryLoopAnalyzer(facts: fileFacts).isRetrySleep(call, in: loop) else { continue }
                let key = loop
                if loops[key] == nil { loopOrder.append(key) }
                loops[key, default: []].append(RetrySleep(call: call, delay: delay, text: python.module.text(of: arg)))
            } else if Self.fixedWaitNames.contains(name) || name.hasPrefix("tenacity") && Self.fixedWaitNames.contains("tenacity." + name.asciiLastComponent(0x2E)!) {
                if TenacityWaits.isCombinedWithRandom(call.call, in: python) { continue }
                let short = name.asciiLastComponent(0x2E).map(String.init) ?? name
                let message = short == "wait_fixed"
                    ? "tenacity `wait_fixed(...)` waits the same interval for every client"
                    : "tenacity `\(short)(...)` has no jitter, so failing clients retry in lockstep"
                out.append(context.finding(
                    path: file.path, range: SourceRange(start: call.callee.range.start, end: call.call.range.end),
                    message: message,
                    help: "use `wait_random_exponential(...)` or add `+ wait_random(0, 1)`",
                    severity: severity,
                    metadata: ["callee": .string(name), "kind": .string("decorator")],
                    anchor: call.anchor(ending: python.module.text(of: call.call)),
                    scope: python.semantic.scopeName(of: call)))
            } else if name == "backoff.on_exception" || name == "backoff.on_predicate" {
                guard let jitter = call.keywords.first(where: { $0.name == "jitter" }),
                      case .constant(.none) = jitter.value.kind else { continue }
                out.append(context.finding(
                    path: file.path, range: SourceRange(start: call.callee.range.start, end: call.call.range.end),
                    message: "`\(name)(..., jitter=None)` retries without jitter, so failing clients retry in lockstep",
                    help: "drop `jitter=None` (backoff's default is full jitter) or pass `jitter=backoff.full_jitter`",
                    severity: severity,
                    metadata: ["callee": .string(name), "kind": .string("decorator")],
                    anchor: python.module.text(of: call.call), scope: python.semantic.scopeName(of: call)))
            }
        }

        // One finding per retry loop, at its first jitter-free sleep; the others are related locations.
        for key in loopOrder {
            guard let sleeps = loops[key], let first = sleeps.first else { continue }
            let message: String
            switch first.delay {
            case .constant(let seconds):
                let amount = seconds.map { "a fixed \(Self.format($0)) s" } ?? "a fixed `\(first.text)`"
                message = "retry loop sleeps \(amount) between attempts"
            default:
                message = "backoff `\(first.text)` has no jitter, so failing clients retry in lockstep"
            }
            let related = sleeps.dropFirst().map { s in
                RelatedLocation(path: file.path, range: SourceRange(start: s.call.callee.range.start, end: s.call.call.range.end),
                                note: "the same retry loop also sleeps `\(s.text)` here")
            }
            var metadata: [String: MetadataValue] = [
                "callee": .string(first.call.qualifiedName ?? first.call.calleeText), "delay": .string(first.text),
                "kind": .string(first.delay.kindName),
            ]
            if sleeps.count > 1 { metadata["sleeps"] = .int(sleeps.count) }
            out.append(context.finding(
                path: file.path, range: SourceRange(start: first.call.callee.range.start, end: first.call.call.range.end),
                message: message, help: help, severity: severity, related: Array(related), metadata: metadata,
                anchor: first.call.anchor(ending: first.call.calleeText + "." + first.text),
                scope: python.semantic.scopeName(of: first.call)))
        }
        return out
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e12 ? String(Int(seconds)) : String(seconds)
    }
}

/// tenacity waits combined with `+ wait_random*(…)` / `wait_*jitter*` are jittered.
enum TenacityWaits {
    static func isCombinedWithRandom(_ call: PyExpr, in python: PythonFile) -> Bool {
        // Find the `+` chains that hold the wait (an iterative walk: no recursion over the tree) and
        // look for a random wait among their terms.
        var combined = false
        TreeWalk.nodes(python.module.body) { node in
            guard !combined else { return false }
            guard case .expr(let e) = node else { return true }
            guard e.byteRange.lowerBound <= call.byteRange.lowerBound, call.byteRange.upperBound <= e.byteRange.upperBound else { return false }
            if case .binOp(_, .add, _) = e.kind {
                TreeWalk.expressions(e) { x in
                    if case .call(let fn, _, _) = x.kind {
                        let name = python.module.text(of: fn)
                        if name.contains("wait_random") || name.contains("jitter") { combined = true }
                    }
                    return !combined
                }
                return false
            }
            return true
        }
        return combined
    }
}

import Foundation
