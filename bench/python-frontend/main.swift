// Python front-end benchmark (not part of the package build). Build and run, from the repository root:
//   S=Sources/FleetLintSyntax; swiftc -O -wmo -module-name pybench -D SCANNER $S/Python/*.swift \
//     $S/Source/SourceLocation.swift $S/Source/SourceText.swift bench/python-frontend/main.swift -o /tmp/pybench
//   /tmp/pybench lex|parse|semantic|scan DIR      (whole-corpus time; use valgrind --tool=callgrind for instructions)
//   /tmp/pybench mem FILE.py                       (under /usr/bin/time -f %M for peak RSS)
//   STACK_KB=512 [CASE=prefix] /tmp/pybench hostile x   (issue 15 hostile inputs on a small thread stack)
// Python front-end benchmark: pybench MODE DIR   (MODE: read | lex | parse | semantic | scan)
import Foundation

func pyFiles(_ root: String) -> [String] {
    var out: [String] = []
    let fm = FileManager.default
    guard let e = fm.enumerator(atPath: root) else { return [] }
    while let p = e.nextObject() as? String { if p.hasSuffix(".py") { out.append(root + "/" + p) } }
    return out.sorted()
}
let args = CommandLine.arguments
let mode = args[1], root = args[2]
let files = mode == "mem" ? [] : pyFiles(root).compactMap { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
var bytes = 0; for f in files { bytes += f.count }
let t0 = Date()
var sink = 0
for f in files {
    switch mode {
    case "lex":
        f.withUnsafeBufferPointer { buf in
            let map = PyPositionMap(buf)
            #if SCANNER
            sink &+= PyLexer.tokenizeCompact(buf, map: map).tokens.count
            #else
            sink &+= PyLexer.tokenize(buf, map: map).tokens.count
            #endif
        }
    case "parse":
        sink &+= PythonParser.parse(f).body.count
    case "semantic":
        let m = PythonParser.parse(f)
        let s = PythonSemanticModel(module: m)
        sink &+= s.calls.count + s.imports.count
    #if SCANNER
    case "scan":
        sink &+= PythonImportScanner.scan(f).count
    #endif
    default: break
    }
}
let dt = Date().timeIntervalSince(t0)
print("\(mode): \(files.count) files, \(bytes) bytes, \(String(format: "%.3f", dt)) s, sink \(sink)")
if mode == "mem" {
    let f = [UInt8](FileManager.default.contents(atPath: root)!)
    let m = PythonParser.parse(f)
    let s = PythonSemanticModel(module: m)
    print("mem: \(f.count) bytes, \(m.body.count) stmts, \(s.calls.count) calls, \(m.problems.count) problems")
}
if mode == "hostile" {
    // The hostile classes of issue 15 on a 512 KiB thread, optimised build.
    func chain(_ sep: String, _ n: Int) -> String { Array(repeating: "1", count: n).joined(separator: sep) }
    var cases: [(String, String)] = [
        ("add 14000", "x = " + chain("+", 14_000) + "\nok()\n"),
        ("attr 14000", "x = a" + String(repeating: ".b", count: 14_000) + "\n"),
        ("call 14000", "x = f" + String(repeating: "()", count: 14_000) + "\n"),
        ("subscript 14000", "x = a" + String(repeating: "[0]", count: 14_000) + "\n"),
        ("elif 9600", "if x:\n    pass\n" + (0..<9_600).map { "elif x == \($0):\n    f()\n" }.joined()),
        ("brackets 100000", String(repeating: "(", count: 100_000) + "x" + String(repeating: ")", count: 100_000) + "\n"),
        ("blocks 5000", (0..<5_000).map { String(repeating: " ", count: $0) + "if x:\n" }.joined()),
        ("chain 800 (allowed)", "x = " + chain("+", 800) + "\n"),
        ("add 998 (at the limit)", "x = " + chain("+", 998) + "\n"),
        ("call 996 (at the limit)", "x = f" + String(repeating: "()", count: 996) + "\n"),
        ("attr 996 (at the limit)", "x = a" + String(repeating: ".b", count: 996) + "\n"),
        ("subscript 498 (at the limit)", "x = a" + String(repeating: "[0]", count: 498) + "\n"),
        ("call-in-lambda 990", "x = lambda: f" + String(repeating: "()", count: 990) + "\n"),
        ("listcomp of calls 990", "x = [f" + String(repeating: "()", count: 990) + " for y in z]\n"),
    ]
    for q in ["\"", "'"] { var s = "x"; for _ in 0..<20_000 { s = "f\(q){" + s + "}\(q)" }; cases.append(("fstring \(q) 20000", "y = " + s + "\n")) }
    for pre in ["not ", "-", "lambda: ", "await ", "a if b else ", "a ** ", "[", "{", "f(", "a["] { cases.append(("prefix \(pre) 20000", "x = " + String(repeating: pre, count: 20_000) + "c\n")) }
    let only = ProcessInfo.processInfo.environment["CASE"]
    for (name, src) in cases where only == nil || name.hasPrefix(only!) {
        let bytes = Array(src.utf8)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var line = ""
        let t = Thread {
            let t0 = Date()
            let m = PythonParser.parse(bytes)
            let s = PythonSemanticModel(module: m)
            var n = 0
            PyWalker.walk(m.body) { _, _ in n += 1; return true }
            line = "\(name): \(m.problems.count) problems (\(m.problems.first.map { "\($0.range.start) \($0.message)" } ?? "-")), \(s.calls.count) calls, \(n) nodes, \(String(format: "%.3f", Date().timeIntervalSince(t0))) s"
            done.signal()
        }
        t.stackSize = (Int(ProcessInfo.processInfo.environment["STACK_KB"] ?? "512") ?? 512) * 1024
        t.start(); done.wait()
        print(line)
    }
}
