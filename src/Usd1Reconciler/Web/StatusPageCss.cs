namespace Usd1Reconciler.Web;

/// <summary>
/// The status page's stylesheet, inline (nothing fetched). System fonts; tabular figures so amounts line up; the verdict
/// as a coloured badge; colour never the only signal (every state is spelled out, STALE included). Two layouts: up to
/// 1240 px wide on a desk screen; below 700 px (a 390 px phone) every table stacks each row into "label value" lines
/// from the cells' data-label, charts and bar groups go one per row, and long figures wrap — nothing scrolls sideways.
/// </summary>
internal static class StatusPageCss
{
    public const string Text =
        "*{box-sizing:border-box}body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f4f6f9}" +
        "main{max-width:1240px;margin:0 auto;padding:1.2em 1.5em 2em}h1{font-size:1.5em;margin:.2em 0}" +
        "h2{font-size:1.15em;margin:1.5em 0 .4em;padding-bottom:.2em;border-bottom:2px solid #d8dde6}h3{font-size:1em;margin:1em 0 .3em}" +
        "table.grid{border-collapse:collapse;width:100%;margin:.4em 0 1em;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08)}" +
        "table.grid th,table.grid td{border:1px solid #dde2ea;padding:5px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}" +
        "table.grid th{background:#eef1f6;font-weight:600;font-size:13px}tr:nth-child(even) td{background:#fafbfd}" +
        "td.num,.fig{font-variant-numeric:tabular-nums;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}td.num{text-align:right}" +
        "table.fixed{table-layout:fixed}col.w-time{width:11em}col.w-rule{width:13em}col.w-net{width:7em}col.w-tx{width:10em}col.w-state{width:6.5em}col.w-link{width:6.5em}" +
        "col.w-kind{width:8em}col.w-block{width:8em}col.w-actor{width:10em}col.w-fact{width:14em}caption{text-align:left;padding:.2em 0;font-size:13px}" +
        ".gov{background:#fff;padding:.2em .8em .4em;margin:.6em 0 1em;border-radius:6px;box-shadow:0 1px 2px rgba(0,0,0,.08)}.gov.stale{background:#fdf3f3}" +
        ".gov p{overflow-wrap:anywhere;margin:.4em 0}.gov table.grid{margin:.3em 0 .6em}" +
        ".ok{color:#0a7d28;font-weight:600}.bad{color:#c01818;font-weight:700}.warn{color:#a35f00;font-weight:600}.muted{color:#667085}" +
        ".verdict-row{display:flex;flex-wrap:wrap;align-items:center;gap:.3em 1em}" +
        ".verdict{display:inline-block;font-size:1.7em;letter-spacing:.04em;margin:.2em 0;padding:.1em .6em;border-radius:6px;border:2px solid currentColor;background:#fff}" +
        ".verdict.ok{background:#e6f4ea}.verdict.bad{background:#fde8e8}.verdict.warn{background:#fff4e0}" +
        "dl.figures{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:.6em;margin:.6em 0}dl.figures div{background:#fff;padding:.5em .8em;border-radius:6px;box-shadow:0 1px 2px rgba(0,0,0,.08)}" +
        "dt{font-size:12px;color:#667085}dd{margin:0;font-size:1.05em;overflow-wrap:anywhere}dd .fig{font-size:1.05em}" +
        "tr.stale td,td.stale,.total.stale{background:#fdecec!important}.stale-badge{display:inline-block;background:#c01818;color:#fff;font-weight:700;font-size:11px;padding:0 .4em;border-radius:3px;letter-spacing:.05em}" +
        ".columns,.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1em}" +
        ".bars{background:#fff;padding:.4em .8em .8em;border-radius:6px;box-shadow:0 1px 2px rgba(0,0,0,.08)}.bar-row{margin:.45em 0}" +
        ".bar-label{display:flex;justify-content:space-between;flex-wrap:wrap;gap:0 .6em}.bar{height:10px;background:#eef1f6;border-radius:5px;overflow:hidden}.bar span{display:block;height:100%;background:#3b73c4}" +
        "figure.chart{margin:0;background:#fff;padding:.5em .8em;border-radius:6px;box-shadow:0 1px 2px rgba(0,0,0,.08)}figcaption{font-weight:600}" +
        "svg{display:block;width:100%;height:auto}svg .plot{fill:#fff;stroke:#dde2ea}svg line.grid{stroke:#e6e9ef}svg .tick{stroke:#98a2b3}" +
        "svg .ylabel,svg .xlabel,svg .reflabel{font:15px system-ui,sans-serif;fill:#475467}svg .reflabel{fill:#c01818}svg .empty{font:16px system-ui,sans-serif;fill:#98a2b3}" +
        "svg .line{fill:none;stroke:#1f5fbf;stroke-width:2}svg .dot{fill:#1f5fbf}svg .reference{stroke:#c01818;stroke-dasharray:5 4}svg .gap{fill:#e08a00}" +
        ".chart-note{margin:.2em 0 0;font-size:12px}code{font-size:12px}a{color:#1f5fbf}" +
        "@media (max-width:700px){main{padding:.8em .7em 1.5em}h1{font-size:1.25em}.verdict{font-size:1.4em}" +
        "dl.figures{grid-template-columns:repeat(2,minmax(0,1fr))}.columns,.charts{grid-template-columns:minmax(0,1fr)}" +
        // A chart is drawn about half its size on a phone: its labels get larger SVG units to stay near 12 px.
        "svg .ylabel,svg .xlabel,svg .reflabel{font-size:22px}" +
        "table.grid,table.grid tbody,table.grid tr,table.grid td{display:block;width:100%}table.grid thead,table.grid colgroup{display:none}" +
        "table.grid tr{margin:0 0 .6em;border:1px solid #dde2ea;background:#fff}table.grid td{border:0;border-bottom:1px solid #eef1f6;text-align:right;display:flex;justify-content:space-between;gap:.8em}" +
        "table.grid td::before{content:attr(data-label);color:#667085;text-align:left;font-family:system-ui,sans-serif;flex:0 0 auto;max-width:45%}table.grid td:not([data-label])::before{content:none}}";
}
