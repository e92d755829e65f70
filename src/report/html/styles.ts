/** The report's own stylesheet, shared by the index and the metric pages. */
export const reportCss = `
:root {
  --fg: #1f2937;
  --muted: #6b7280;
  --border: #e5e7eb;
  --bg: #f8fafc;
  --card: #ffffff;
  --accent: #2563eb;
  --pass: #15803d;
  --pass-bg: #dcfce7;
  --fail: #b91c1c;
  --fail-bg: #fee2e2;
  --none-bg: #f1f5f9;
  --target: #d97706;
  --change: #64748b;
  --regression: #dc2626;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px;
  line-height: 1.5;
  color: var(--fg);
  background: var(--bg);
}
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 48px; }
header.page { margin-bottom: 20px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; line-height: 1.25; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 0 0 12px; overflow-wrap: anywhere; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.meta { color: var(--muted); margin: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.meta b { color: var(--fg); font-weight: 600; }
.back { display: inline-block; margin-bottom: 8px; font-size: 0.9rem; }
section.card {
  background: var(--card);
  border: 1px solid var(--border);
  border-radius: 10px;
  padding: 18px 20px;
  margin-bottom: 20px;
  box-shadow: 0 1px 2px rgba(15, 23, 42, 0.04);
}
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--border); vertical-align: middle; }
th { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; white-space: nowrap; }
tbody tr:last-child td { border-bottom: none; }
tbody tr:hover { background: #f8fafc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.metric-name { overflow-wrap: anywhere; min-width: 12em; }
.nowrap { white-space: nowrap; }
/* Same column widths in every plugin's table, so the cards line up. */
@media (min-width: 641px) {
  table.metrics { table-layout: fixed; }
  table.metrics .col-metric { width: 32%; }
  table.metrics .col-latest { width: 13%; }
  table.metrics .col-target { width: 10%; }
  table.metrics .col-trend { width: 20%; }
  table.metrics .col-changes { width: 15%; }
  table.metrics .col-link { width: 10%; }
}
.sub { display: block; color: var(--muted); font-size: 0.82rem; }
.badge {
  display: inline-block;
  padding: 1px 9px;
  border-radius: 999px;
  font-size: 0.8rem;
  font-weight: 600;
  white-space: nowrap;
}
.badge.pass { color: var(--pass); background: var(--pass-bg); }
.badge.fail { color: var(--fail); background: var(--fail-bg); }
.badge.none { color: var(--muted); background: var(--none-bg); }
.badge.regression { color: var(--fail); background: var(--fail-bg); }
.change-up { color: var(--fail); }
.change-good { color: var(--pass); }
.empty { color: var(--muted); margin: 0; }
.sparkline { display: block; overflow: visible; }
.sparkline-line { fill: none; stroke: var(--accent); stroke-width: 1.5; stroke-linejoin: round; stroke-linecap: round; }
.sparkline-last { fill: var(--accent); }
.sparkline-cp { stroke: var(--change); stroke-width: 1; stroke-dasharray: 3 2; }
.sparkline-cp.regression { stroke: var(--regression); stroke-width: 1.5; stroke-dasharray: none; opacity: 0.8; }
.sparkline-empty { fill: var(--muted); font-size: 11px; }
.chart-wrap { position: relative; width: 100%; min-height: 380px; }
.chart-legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0 0; padding: 0; list-style: none; color: var(--muted); font-size: 0.85rem; }
.chart-legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 18px; height: 0; border-top: 2px solid; }
.swatch.value { border-color: var(--accent); }
.swatch.band { height: 10px; border-top: 1px solid var(--accent); background: rgba(37, 99, 235, 0.12); }
.swatch.target { border-color: var(--target); border-top-style: dashed; }
.swatch.change { width: 0; height: 14px; border-top: none; border-left: 2px dashed var(--change); }
.swatch.regression { width: 0; height: 14px; border-top: none; border-left: 2px solid var(--regression); }
.tooltip {
  position: absolute;
  z-index: 10;
  pointer-events: none;
  display: none;
  min-width: 160px;
  max-width: 300px;
  padding: 8px 10px;
  background: rgba(255, 255, 255, 0.97);
  border: 1px solid var(--border);
  border-radius: 8px;
  box-shadow: 0 4px 14px rgba(15, 23, 42, 0.12);
  font-size: 0.82rem;
  line-height: 1.4;
}
.tooltip.visible { display: block; }
.tooltip .tt-value { font-size: 1rem; font-weight: 600; }
.tooltip .tt-row { color: var(--muted); }
.tooltip .tt-row b { color: var(--fg); font-weight: 600; }
.tooltip .tt-message { margin-top: 4px; color: var(--fg); overflow-wrap: anywhere; }
details summary { cursor: pointer; font-weight: 600; }
details[open] summary { margin-bottom: 10px; }
footer { color: var(--muted); font-size: 0.8rem; text-align: center; margin-top: 28px; }
@media (max-width: 640px) {
  main { padding: 16px 10px 32px; }
  section.card { padding: 14px 12px; }
  th, td { padding: 6px 6px; }
  .hide-narrow { display: none; }
  .chart-wrap { min-height: 280px; }
  h1 { font-size: 1.3rem; }
}
`.trim()
