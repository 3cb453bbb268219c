import FleetLintCore
import FleetLintSyntax

/// A client constructed per call (`bigquery.Client()`, module-level `requests.get`) where a shared,
/// pooled one should be used. Callees are resolved through imports and scopes, so aliases are found and
/// strings, comments, sessions and shadowing locals are not.
public struct UnpooledClientRule: BuiltInRule, FileRule {
    public static let description = RuleDescription(
        id: "unpooled-client",
        summary: "A client is constructed per call instead of using a shared, pooled one",
        category: .reliability,
        defaultSeverity: .warning,
        inputs: [.python],
        rationale: """
            ## What it does
            Flags calls that build a new client, and with it a new connection pool, every time they run:
            `google.cloud.bigquery.Client(...)` and the module-level `requests.get/post/put/patch/delete/head/
            options/request` functions (each opens and tears down its own `Session`). Names are resolved
            through imports, so `from google.cloud import bigquery as bq; bq.Client()` and
            `from requests import get as fetch; fetch(url)` are found; `session.get(...)`,
            `requests.Session().get(...)` and local functions called `get` are not. The list of callees and
            the pooled helper to recommend for each are configurable. A client built once and cached is
            not flagged: assigned under `if self._client is None:` (or `if not _client:`, `x or Client()`,
            `if key not in cache:`), built in an `@lru_cache`/`@cache` function, or a module-level
            singleton that a function returns; a file that caches a library's client that way is its pool,
            and its other calls to that library are exempt too. A call in a script's
            `if __name__ == "__main__":` block runs once per run and is flagged only inside a loop.

            ## Why is this bad?
            Every client opens its own sockets, TLS sessions and auth token refreshes. A worker that builds
            one per request exhausts file descriptors and ephemeral ports under load, and pays a TLS
            handshake on every call. A client built at import time also runs on every import (tests, CLI
            tools) and before configuration is loaded.

            ## Example
            ```python
            from google.cloud import bigquery

            def daily_totals(sql):
                return bigquery.Client().query(sql).result()
            ```

            ## Use instead
            ```python
            from shared.clients.bigquery_pool import get_bigquery_client

            def daily_totals(sql):
                return get_bigquery_client().query(sql).result()
            ```
            """,
        options: [
            "callees": "extra qualified callees to flag (e.g. `google.cloud.storage.Client`, `httpx.get`)",
            "replace-default-callees": "when true, `callees` replaces the defaults instead of extending them",
            "helpers": "table mapping a callee to the pooled helper to recommend (`\"google.cloud.bigquery.Client\" = \"shared.clients.bigquery_pool.get_bigquery_client\"`)",
            "exempt": "path globs of files never to check (default none: a pool is recognised by what it does)",
        ],
        triggering: [
            Example(path: "svc/report.py", """
                from google.cloud import bigquery as bq

                def totals(sql):
                    return ↓bq.Client().query(sql).result()
                """),
            Example(path: "svc/rates.py", """
                from requests import get as fetch

                def rates(url):
                    return ↓fetch(url, timeout=5).json()
                """),
            Example(path: "svc/module_level.py", """
                import google.cloud.bigquery

                CLIENT = ↓google.cloud.bigquery.Client()
                """),
            Example(path: "svc/loop.py", """
                import requests

                def ping(urls):
                    for url in urls:
                        ↓requests.request("HEAD", url, timeout=2)
                """),
            Example(path: "svc/alias.py", """
                from google.cloud.bigquery import client

                def make():
                    return ↓client.Client()
                """),
            Example(path: "svc/storage.py", """
                from google.cloud import storage

                def upload(data):
                    ↓storage.Client().bucket("b").blob("x").upload_from_string(data)
                """, configuration: "[unpooled-client]\ncallees = [\"google.cloud.storage.Client\"]\n"),
            // The file name does not make a pool: this one builds a client per call.
            Example(path: "svc/thread_pool.py", """
                from google.cloud import bigquery

                def run_query(sql):
                    return ↓bigquery.Client().query(sql).result()
                """),
            // In a script's `__main__` block, a loop still builds a client per iteration.
            Example(path: "scripts/ping.py", """
                import requests

                if __name__ == "__main__":
                    for url in ["https://a.invalid", "https://b.invalid"]:
                        ↓requests.get(url, timeout=5)
                """),
            // A parameter filled in when missing is a new client on every call without one.
            Example(path: "svc/validate.py", """
                from google.cloud import bigquery

                def validate(date, client=None):
                    if client is None:
                        client = ↓bigquery.Client()
                    return client.query(date).result()
                """),
            // Caching one client in an object does not excuse a per-call one next to it.
            Example(path: "svc/mixed.py", """
                from google.cloud import bigquery

                class Repository:
                    def __init__(self):
                        self._client = None

                    def rows(self, sql):
                        if self._client is None:
                            self._client = bigquery.Client()
                        return self._client.query(sql).result()

                def one_off(sql):
                    return ↓bigquery.Client().query(sql).result()
                """),
        ],
        nonTriggering: [
            Example(path: "svc/pooled.py", """
                import requests
                from shared.clients.bigquery_pool import get_bigquery_client

                SESSION = requests.Session()

                def rates(url, sql):
                    return SESSION.get(url, timeout=5), requests.Session().get(url), get_bigquery_client().query(sql)
                """),
            Example(path: "svc/strings.py", """
                import requests
                # requests.get(url) in a comment
                TEXT = "requests.get(url) in a string"

                def doc():
                    \"\"\"Call requests.get(url) here.\"\"\"
                    return getattr(requests, "get")
                """),
            Example(path: "svc/shadow.py", """
                import requests

                def get(key):
                    return key

                def run(requests):
                    return get("a"), requests.get("b")
                """),
            // A module-level singleton that a function hands out: the file is the pool.
            Example(path: "shared/clients/bigquery_pool.py", """
                from google.cloud import bigquery

                _CLIENT = bigquery.Client()

                def get_bigquery_client():
                    return _CLIENT
                """),
            // Built on first use and kept on the instance.
            Example(path: "svc/repository.py", """
                from google.cloud import bigquery

                class Repository:
                    def __init__(self):
                        self._client = None

                    @property
                    def client(self):
                        if self._client is None:
                            self._client = bigquery.Client()
                        return self._client
                """),
            // Built once by a cached factory.
            Example(path: "svc/factory.py", """
                import functools
                from functools import lru_cache
                from google.cloud import bigquery

                @lru_cache(maxsize=None)
                def client_for(project):
                    return bigquery.Client(project=project)

                @functools.cache
                def default_client():
                    return bigquery.Client()
                """),
            // A global kept behind a `global` statement.
            Example(path: "svc/lazy.py", """
                from google.cloud import bigquery
                _client = None

                def get_client():
                    global _client
                    if not _client:
                        _client = bigquery.Client()
                    return _client
                """),
            // A script's `__main__` block runs once per run.
            Example(path: "scripts/backfill.py", """
                import requests
                from google.cloud import bigquery

                if __name__ == "__main__":
                    client = bigquery.Client()
                    print(requests.get("https://example.invalid/health", timeout=5).status_code)
                """),
        ]
    )

    static let defaultCallees: [String] = [
        "google.cloud.bigquery.Client",
        "requests.get", "requests.post", "requests.put", "requests.patch", "requests.delete",
        "requests.head", "requests.options", "requests.request",
    ]

    let callees: Set<String>
    /// `callees`, for the question asked of every call of a file.
    let calleeNames: QualifiedNameSet
    let helpers: [String: String]
    let exempt: [Glob]

    public init(options: OptionsTable) throws(ConfigurationError) {
        try options.validateKeys(Self.description.options.keys)
        let extra = try options.stringArray("callees") ?? []
        let replace = try options.bool("replace-default-callees") ?? false
        callees = Set((replace ? [] : Self.defaultCallees) + extra)
        calleeNames = QualifiedNameSet(callees)
        var helpers: [String: String] = [:]
        if let table = try options.table("helpers") {
            for key in table.values.keys {
                guard let helper = try table.string(key) else { continue }
                helpers[key] = helper
            }
        }
        self.helpers = helpers
        exempt = (try options.stringArray("exempt") ?? []).map(Glob.init)
    }

    public func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] {
        guard let python = file.python else { return [] }
        if exempt.contains(where: { $0.matches(file.path) }) { return [] }
        // One pass over the calls by index (a record holds 3 references: a copy of each would retain and
        // release them all): the calls to flag, and every construction that may make the file a pool.
        let calls = python.semantic.calls
        var relevant: [Int] = []
        var constructions: [Int] = []
        for i in calls.indices {
            guard let q = calls[i].qualifiedName else { continue }
            // An empty name is no constructor, but a configured callee may be anything.
            // The last byte from the string's own storage (the generic `utf8.last` cost ~80 instructions a call).
            guard let end = q.utf8.withContiguousStorageIfAvailable({ $0.last }) ?? q.utf8.last else {
                if calleeNames.contains(q) { relevant.append(i); constructions.append(i) }
                continue
            }
            if calleeNames.contains(q, endingIn: end) {
                relevant.append(i)
                constructions.append(i)
            } else if ClientCaching.isClientConstructor(q, endingIn: end) {
                constructions.append(i)
            }
        }
        guard !relevant.isEmpty else { return [] }
        let caching = ClientCaching(python: python, candidates: constructions)
        // A file that keeps a client of a library once and hands it out is that library's pool.
        let pooledFamilies = caching.pooledFamilies(until: { context.isOverBudget })
        var out: [Finding] = []
        for index in relevant {
            if context.isOverBudget { return out }  // the engine reports the file as over its budget
            let call = calls[index]
            guard let name = call.qualifiedName else { continue }
            if pooledFamilies.contains(ClientCaching.family(of: name)) || caching.isCached(call: index) { continue }
            let inLoop = !call.enclosingLoops.isEmpty
            // Where, as pieces of the message.
            let where_: [String]
            if call.isModuleLevel {
                if caching.isUnderMainGuard(call: index) {
                    // A script's `__main__` block runs once per run: only a loop there builds clients repeatedly.
                    guard inLoop else { continue }
                    where_ = [" on every iteration of a loop"]
                } else {
                    where_ = [" at import time"]
                }
            } else if inLoop {
                where_ = [" on every iteration of a loop"]
            } else if let fn = call.enclosingFunctions.last {
                where_ = [" on every call to `", fn.name, "`"]
            } else {
                where_ = [" on every call"]
            }
            let isRequests = name.hasPrefix("requests.")
            let helper = helpers.isEmpty ? nil : helpers[name]
            let help: String
            if let helper {
                help = "use the shared pooled client from `\(helper)()`"
            } else if isRequests {
                help = String(concatenating: [
                    "reuse one `requests.Session()` per process (a module-level session or a pooled helper) and call its `.",
                    String(name.asciiLastComponent(0x2E)!), "()`",
                ])
            } else {
                help = "create the client once per process (a cached helper such as `get_bigquery_client()`) and reuse it"
            }
            // `what` + `where_` + `instead`, in one buffer (built for every finding).
            let what = isRequests ? "()` opens a new connection pool" : "()` creates a new client"
            var pieces: [String] = []
            pieces.reserveCapacity(9)
            pieces.append("`"); pieces.append(name); pieces.append(what)
            for w in where_ { pieces.append(w) }
            if let helper { pieces.append(" instead of using `"); pieces.append(helper); pieces.append("()`") }
            let message = String(concatenating: pieces)
            let range = SourceRange(start: call.callee.range.start, end: call.call.range.end)
            out.append(context.finding(
                path: file.path, range: range, message: message, help: help,
                metadata: [
                    "callee": .string(name),
                    "context": .string(call.isModuleLevel ? "module" : "function"),
                    "inLoop": .bool(inLoop),
                ],
                anchor: call.anchor(ending: call.calleeText),
                scope: python.semantic.scopeName(of: call)))
        }
        return out
    }
}
