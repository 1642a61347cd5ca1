/** The report's inline stylesheet. */
export const REPORT_STYLE = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #d5dae3; --loyal: #2f6fb2; --traitor: #c62828;
  --attack: #2e7d32; --retreat: #b26a00; --rejected: #e07b00; --invalid: #7b1fa2; --bg: #fbfcfe;
  --king: #c99700; --king-bg: #fff6d6; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg);
  margin: 0 auto; padding: 16px 24px 48px; max-width: 1400px; }
h1 { font-size: 20px; margin: 8px 0 2px; }
h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 12px 0 6px; }
.source, .help, .note { color: var(--muted); }
.help { max-width: 980px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { font-weight: 600; color: var(--muted); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.traitor td.kind, tr.traitor td:first-child { color: var(--traitor); font-weight: 600; }
tr.loyal td.kind { color: var(--loyal); }
tr.untraced { color: var(--muted); }
#verdict p { margin: 2px 0; font-weight: 600; }
#verdict .ok { color: var(--attack); }
#verdict .fail, .warn { color: var(--traitor); }
#warnings { color: var(--traitor); }
#counts { padding-left: 18px; }
.scroll { overflow: auto; border: 1px solid var(--line); background: #fff; max-height: 80vh; }
#lamport { display: block; }
#lamport .lane line { stroke: #9aa6b8; stroke-width: 1; }
#lamport .lane text { font-size: 12px; fill: var(--loyal); }
#lamport .lane.traitor line { stroke: var(--traitor); stroke-dasharray: 6 3; }
#lamport .lane.traitor text { fill: var(--traitor); font-weight: 600; }
#lamport .lane.untraced text { fill: var(--muted); }
#lamport .round-column line { stroke: #e6e9ef; stroke-width: 1; }
#lamport .round-column text { font-size: 12px; fill: var(--muted); }
#lamport .arrow, #lamport .fan { stroke: #7f93ad; stroke-width: 1; fill: none; cursor: pointer; }
#lamport .arrow.lie, #lamport .fan.lie { stroke: var(--traitor); stroke-width: 1.6; }
#lamport .arrow.rejected, #lamport .fan.rejected { stroke: var(--rejected); stroke-dasharray: 4 3; }
#lamport .arrow.invalid { stroke-dasharray: 8 3 2 3; }
#lamport .withheld { stroke: var(--traitor); stroke-dasharray: 1 3; stroke-width: 1.4; }
#lamport .arrow:hover, #lamport .fan:hover, #lamport .selected { stroke-width: 3.5; stroke: #111; }
#lamport .head { fill: #7f93ad; } #lamport .head-lie { fill: var(--traitor); } #lamport .head-rej { fill: var(--rejected); }
.key { font-weight: 600; } .key.lie, .key.withheld { color: var(--traitor); } .key.rejected { color: var(--rejected); } .key.invalid { color: var(--invalid); }
.detail { border: 1px solid var(--line); background: #fff; padding: 8px 12px; margin-top: 8px; max-height: 360px; overflow: auto; }
.detail .values { display: flex; flex-wrap: wrap; gap: 4px 14px; font: 12px ui-monospace, monospace; }
.detail .values span.lie { color: var(--traitor); font-weight: 700; }
.detail .values span.invalid { text-decoration: line-through; text-decoration-color: var(--invalid); }
.detail .values span.ignored { color: var(--invalid); font-weight: 700; display: inline-block; margin-left: 0.5em; }
.detail button { font: inherit; margin: 2px 4px 2px 0; }
.v { font-weight: 700; font-family: ui-monospace, monospace; }
.v.A { color: var(--attack); } .v.R { color: var(--retreat); } .v.missing { color: var(--muted); }
#tree { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; }
#tree details, #tree .leaf { margin-left: 18px; }
#tree > details { margin-left: 0; }
#tree summary { cursor: pointer; padding: 1px 0; }
#tree .path { display: inline-block; min-width: 9em; }
#tree .lie { color: var(--traitor); }
#tree .lie .path::after { content: " ✗"; }
#tree .why { color: var(--muted); }
#chains .chain-view { margin: 8px 0 14px; }
#chains summary { cursor: pointer; font-weight: 600; }
#chains table.chains td.signers { font-family: ui-monospace, monospace; }
#chains tr.ignored td { color: var(--invalid); }
#chains tr.ignored td.signers, #chains tr.ignored .v { text-decoration: line-through; }
#chains tr.lie td.status { font-weight: 600; }
#chains tr.lie td:first-child { border-left: 3px solid var(--traitor); }
#chains .v-set, #chains .choice { margin: 2px 0; font-family: ui-monospace, monospace; }
#chains .choice.mismatch { color: var(--traitor); }
select { font: inherit; padding: 2px 4px; }
#lamport .phase-band rect.phase { fill: #f4f6fa; stroke: #e1e5ec; }
#lamport .phase-band:nth-of-type(even) rect.phase { fill: #fbfcfe; }
#lamport .phase-band rect.king-lane { fill: var(--king-bg); }
#lamport .phase-band.traitor-king rect.king-lane { fill: #f9d9d9; }
#lamport .phase-label { font-size: 12px; fill: var(--ink); font-weight: 600; }
#lamport .round-column.king text { fill: var(--king); font-weight: 600; }
#lamport .arrow.king, #lamport .fan.king { stroke: var(--king); stroke-width: 1.8; }
#lamport .arrow.none { stroke: #b7c0cd; stroke-dasharray: 3 3; }
#lamport .fan { fill: rgba(127, 147, 173, 0.12); }
#lamport .fan.lie { fill: rgba(198, 40, 40, 0.12); }
#lamport .fan.king { fill: rgba(201, 151, 0, 0.18); }
#lamport .arrow.king.lie, #lamport .fan.king.lie { stroke: var(--traitor); }
#lamport .fan.silent { fill: none; stroke: var(--traitor); stroke-dasharray: 1 3; }
.key.king { color: var(--king); }
#x-grid { font: 12px ui-monospace, monospace; }
#x-grid th, #x-grid td { padding: 1px 4px; text-align: center; }
#x-grid td.x { cursor: pointer; font-weight: 700; }
#x-grid td.A { color: var(--attack); } #x-grid td.R { color: var(--retreat); }
#x-grid td.king { outline: 2px solid var(--king); outline-offset: -2px; background: var(--king-bg); }
#x-grid td.took::after { content: "•"; color: var(--king); }
#x-grid td.changed { text-decoration: underline; background: #eef3fb; }
#x-grid th.traitor-king .king-name, #x-grid tr.traitor th { color: var(--traitor); }
#x-grid td.selected { outline: 2px solid #111; }
#phases-table tr.split td { color: var(--traitor); font-weight: 600; }
`;
