import FleetLintCore
import Foundation

/// Hand-written SVG: percent per migration over time with a dated x axis. Self-contained (no script,
/// no external fonts), so it renders the same in a browser, an `<img>` in a pull request and inline HTML.
public enum AdoptionChart {
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func time(_ p: AdoptionPoint) -> Double? {
        guard let d = p.date, let t = AdoptionHistory.parseDate(d, endOfDay: false) else { return nil }
        return Double(t)
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    public static func svg(_ history: [AdoptionPoint], title: String = "Migration adoption (% of call sites)",
                           width: Int = 960, height: Int = 420) -> String {
        let left = 56.0, right = 200.0, top = 40.0, bottom = 56.0
        let w = Double(width), h = Double(height)
        let plotW = w - left - right, plotH = h - top - bottom
        let times = history.compactMap(time)
        let t0 = times.min() ?? 0, t1 = max(times.max() ?? 1, t0 + 86_400)
        func x(_ t: Double) -> Double { left + (t - t0) / (t1 - t0) * plotW }
        func y(_ p: Double) -> Double { top + (100 - p) / 100 * plotH }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="\(fmt(left))" y="22" font-size="15" font-weight="600" fill="#222">\(escape(title))</text>

        """
        // Horizontal grid and y labels.
        for p in stride(from: 0, through: 100, by: 20) {
            let yy = y(Double(p))
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(yy))\" x2=\"\(fmt(left + plotW))\" y2=\"\(fmt(yy))\" stroke=\"#e5e5e5\"/>\n"
            s += "<text x=\"\(fmt(left - 8))\" y=\"\(fmt(yy + 4))\" text-anchor=\"end\" fill=\"#555\">\(p)%</text>\n"
        }
        // Dated x ticks: months when the span is over ~3 months, else weeks, else days.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let span = t1 - t0
        let start = Date(timeIntervalSince1970: t0)
        var ticks: [Date] = []
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        if span > 100 * 86_400 {
            var comps = calendar.dateComponents([.year, .month], from: start)
            comps.day = 1
            var d = calendar.date(from: comps)!
            if d.timeIntervalSince1970 < t0 { d = calendar.date(byAdding: .month, value: 1, to: d)! }
            let step = span > 800 * 86_400 ? 3 : span > 400 * 86_400 ? 2 : 1
            while d.timeIntervalSince1970 <= t1 {
                ticks.append(d)
                d = calendar.date(byAdding: .month, value: step, to: d)!
            }
            formatter.dateFormat = "MMM yyyy"
        } else {
            let stepDays = span > 21 * 86_400 ? 7 : max(1, Int(span / 86_400 / 8) + 1)
            var d = calendar.startOfDay(for: start)
            if d.timeIntervalSince1970 < t0 { d = calendar.date(byAdding: .day, value: 1, to: d)! }
            while d.timeIntervalSince1970 <= t1 {
                ticks.append(d)
                d = calendar.date(byAdding: .day, value: stepDays, to: d)!
            }
            formatter.dateFormat = "yyyy-MM-dd"
        }
        for d in ticks {
            let xx = x(d.timeIntervalSince1970)
            s += "<line x1=\"\(fmt(xx))\" y1=\"\(fmt(top))\" x2=\"\(fmt(xx))\" y2=\"\(fmt(top + plotH))\" stroke=\"#f0f0f0\"/>\n"
            s += "<line x1=\"\(fmt(xx))\" y1=\"\(fmt(top + plotH))\" x2=\"\(fmt(xx))\" y2=\"\(fmt(top + plotH + 5))\" stroke=\"#888\"/>\n"
            s += "<text x=\"\(fmt(xx))\" y=\"\(fmt(top + plotH + 20))\" text-anchor=\"middle\" fill=\"#555\">\(escape(formatter.string(from: d)))</text>\n"
        }
        s += "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(plotW))\" height=\"\(fmt(plotH))\" fill=\"none\" stroke=\"#888\"/>\n"
        // One polyline per migration; gaps where a point has no sites.
        let ids = history.last?.migrations.map(\.id) ?? []
        for (i, id) in ids.enumerated() {
            let color = colors[i % colors.count]
            var segments: [[(Double, Double)]] = [[]]
            for p in history {
                guard let t = time(p), let pct = p.figures(id)?.percent else {
                    if !(segments.last?.isEmpty ?? true) { segments.append([]) }
                    continue
                }
                segments[segments.count - 1].append((x(t), y(pct)))
            }
            for seg in segments where !seg.isEmpty {
                if seg.count == 1 {
                    s += "<circle cx=\"\(fmt(seg[0].0))\" cy=\"\(fmt(seg[0].1))\" r=\"3\" fill=\"\(color)\"/>\n"
                } else {
                    let pts = seg.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " ")
                    s += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.2\" stroke-linejoin=\"round\"/>\n"
                }
            }
            // Legend with the latest figure.
            let ly = top + 10 + Double(i) * 40
            let last = history.last?.figures(id)
            s += "<line x1=\"\(fmt(w - right + 16))\" y1=\"\(fmt(ly))\" x2=\"\(fmt(w - right + 40))\" y2=\"\(fmt(ly))\" stroke=\"\(color)\" stroke-width=\"3\"/>\n"
            s += "<text x=\"\(fmt(w - right + 46))\" y=\"\(fmt(ly + 4))\" fill=\"#222\" font-weight=\"600\">\(escape(id))</text>\n"
            s += "<text x=\"\(fmt(w - right + 46))\" y=\"\(fmt(ly + 20))\" fill=\"#555\">\(show(last?.percent)) (\(last?.legacy.calls ?? 0) legacy left)</text>\n"
        }
        s += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(h - 12))\" text-anchor=\"middle\" fill=\"#777\">adopted / (adopted + legacy) call sites, first-parent history</text>\n"
        s += "</svg>\n"
        return s
    }

    /// A self-contained page: the chart inline, the latest figures, per-directory tables, remaining files
    /// and the history table.
    public static func html(_ history: [AdoptionPoint], root: String) -> String {
        let e = escape
        var body = ""
        if history.count > 1 { body += "<figure>" + svg(history) + "</figure>\n" }
        guard let last = history.last else { return "<!doctype html><title>fleetlint adoption</title><p>No points.</p>" }
        body += "<h2>Latest figures\(last.date.map { " (\(e($0)))" } ?? "")\(last.commit.map { " at <code>\(e(String($0.prefix(12))))</code>" } ?? "")</h2>\n"
        body += "<table><tr><th>Migration</th><th>Legacy calls / files</th><th>Adopted calls / files</th><th>Mixed files</th><th>Calls</th><th>Files</th><th>Effective</th></tr>\n"
        for f in last.migrations {
            body += "<tr><td><b>\(e(f.id))</b><br><small>\(e(f.description))</small></td><td>\(f.legacy.calls) / \(f.legacy.files)</td><td>\(f.adopted.calls) / \(f.adopted.files)</td><td>\(f.mixedFiles)</td><td>\(show(f.percent))</td><td>\(show(f.filePercent))</td><td>\(show(f.effectivePercent)) <small>(\(f.effective.adoptedFiles)/\(f.effective.files), \(f.effective.inheritedFiles) inherited)</small></td></tr>\n"
        }
        body += "</table>\n"
        for f in last.migrations {
            body += "<h3>\(e(f.id))</h3>\n"
            if f.tests.legacy.calls + f.tests.adopted.calls + f.vendored.legacy.calls + f.vendored.adopted.calls > 0 {
                body += "<p>Counted apart: tests \(f.tests.legacy.calls) legacy / \(f.tests.adopted.calls) adopted calls; vendored copies \(f.vendored.legacy.calls) legacy / \(f.vendored.adopted.calls) adopted calls.</p>\n"
            }
            if !f.directories.isEmpty {
                body += "<table><tr><th>Directory</th><th>Legacy calls / files</th><th>Adopted calls / files</th><th>Percent</th></tr>\n"
                for d in f.directories {
                    body += "<tr><td><code>\(e(d.path))</code></td><td>\(d.legacy.calls) / \(d.legacy.files)</td><td>\(d.adopted.calls) / \(d.adopted.files)</td><td>\(bar(d.percent))</td></tr>\n"
                }
                body += "</table>\n"
            }
            if !f.remaining.isEmpty {
                body += "<details\(f.remaining.count <= 30 ? " open" : "")><summary>Remaining files (\(f.remaining.count))</summary><table><tr><th>File</th><th>Legacy</th><th>Adopted</th></tr>\n"
                for r in f.remaining { body += "<tr><td><code>\(e(r.path))</code></td><td>\(r.legacy)</td><td>\(r.adopted)</td></tr>\n" }
                body += "</table></details>\n"
            }
        }
        if history.count > 1 {
            let ids = last.migrations.map(\.id)
            body += "<h2>History</h2>\n<table><tr><th>Date</th><th>Commit</th>" + ids.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
            for p in history.reversed() {
                body += "<tr><td>\(e(p.date ?? ""))</td><td><code>\(e(String((p.commit ?? "").prefix(10))))</code></td>"
                    + ids.map { id in
                        let f = p.figures(id)
                        return "<td>\(show(f?.percent)) <small>(\(f?.legacy.calls ?? 0) / \(f?.adopted.calls ?? 0))</small></td>"
                    }.joined() + "</tr>\n"
            }
            body += "</table>\n"
        }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>fleetlint adoption — \(e(root))</title>
        <style>
        body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px auto;max-width:1000px;color:#222;padding:0 16px}
        table{border-collapse:collapse;margin:8px 0 16px;font-size:14px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f6f6f6}td:not(:first-child){text-align:right}code{font-size:13px}figure{margin:0}
        .bar{display:inline-block;height:8px;background:#2ca02c;margin-left:6px;vertical-align:middle}
        small{color:#666}
        </style></head><body>
        <h1>Migration adoption</h1>
        <p>Repository <code>\(e(root))</code>, \(history.count) point\(history.count == 1 ? "" : "s"). Generated by fleetlint \(e(FleetLintVersion.current)).</p>
        \(body)</body></html>

        """
    }

    static func bar(_ p: Double?) -> String {
        guard let p else { return "–" }
        return show(p) + "<span class=\"bar\" style=\"width:\(Int(p * 0.8))px\"></span>"
    }
}
