import type { Block, ChartSpec, Figure, ReportPage, Table } from './spec.js';

/** Colours of the series, in order (colour-blind friendly: Okabe-Ito). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

/**
 * One self-contained HTML page: styles, the chart library (inlined, passed in as text), the charts'
 * data as JSON and a small script that draws them. Each canvas gets `data-drawn="true"` and
 * `data-points` once Chart.js has rendered it from the data; `body[data-charts-drawn]` counts them.
 * Nothing is fetched: no network, no fonts, no images.
 */
export function renderPage(page: ReportPage, chartLibrary: string): string {
  const charts: ChartSpec[] = [];
  const body = page.sections
    .map((section) => `<section>\n<h2>${esc(section.heading)}</h2>\n${section.blocks.map((b) => block(b, charts)).join('\n')}\n</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(page.title)}</title>
<style>${STYLE}</style>
</head>
<body data-charts="${charts.length}">
<header><h1>${esc(page.title)}</h1><p>${esc(page.subtitle)}</p></header>
<main>
${body}
</main>
<footer>Written by trafficinator. Self-contained: the charts are drawn by Chart.js, inlined in this file; every chart's data is also in the table below it.</footer>
<script>${scriptSafe(chartLibrary.replace(/\/\/# sourceMappingURL=\S+\s*$/, ''))}</script>
<script id="chart-data" type="application/json">${scriptSafe(JSON.stringify(charts))}</script>
<script>${scriptSafe(BOOT)}</script>
</body>
</html>
`;
}

function block(b: Block, charts: ChartSpec[]): string {
  switch (b.kind) {
    case 'figures':
      return `<div class="figures">${b.figures.map(figure).join('')}</div>`;
    case 'chart':
      charts.push(b.chart);
      return chartBlock(b.chart);
    case 'table':
      return table(b.table);
    case 'text':
      return `<p class="text">${esc(b.text)}</p>`;
    case 'code':
      return `<details><summary>${esc(b.caption)}</summary><pre>${esc(b.text)}</pre></details>`;
  }
}

function figure(f: Figure): string {
  return `<div class="figure"><div class="value${f.tone ? ` ${f.tone}` : ''}">${esc(f.value)}</div><div class="label">${esc(f.label)}</div></div>`;
}

function chartBlock(c: ChartSpec): string {
  const head = [c.xTitle, ...c.datasets.map((d) => d.label)];
  const rows = c.labels.map((x, i) => [x, ...c.datasets.map((d) => d.data[i] ?? '')]);
  return `<figure class="chart" id="${esc(c.id)}">
<figcaption><strong>${esc(c.title)}</strong>${c.note ? `<span>${esc(c.note)}</span>` : ''}</figcaption>
<div class="canvas-box"><canvas data-chart="${esc(c.id)}" role="img" aria-label="${esc(c.title)}"></canvas></div>
<details class="data"><summary>Data (${rows.length} rows)</summary>${table({ caption: c.title, head, rows, numeric: head.map((_, i) => i).slice(1) })}</details>
</figure>`;
}

export function table(t: Table): string {
  const numeric = new Set(t.numeric ?? []);
  const cell = (tag: string, v: string | number, i: number): string => {
    const verdict = typeof v === 'string' && tag === 'td' ? (v.startsWith('✓') ? 'verdict-ok' : v.startsWith('✗') ? 'verdict-bad' : '') : '';
    const cls = [numeric.has(i) ? 'num' : '', verdict].filter(Boolean).join(' ');
    return `<${tag}${cls ? ` class="${cls}"` : ''}>${esc(format(v))}</${tag}>`;
  };
  return `<div class="table-box"><table><caption>${esc(t.caption)}</caption>
<thead><tr>${t.head.map((h, i) => cell('th', h, i)).join('')}</tr></thead>
<tbody>${t.rows.map((r) => `<tr>${r.map((v, i) => cell('td', v, i)).join('')}</tr>`).join('\n')}</tbody></table></div>`;
}

function format(v: string | number): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Text inside <script> must not close it. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const STYLE = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #dfe3ea; --bg: #f6f7f9; --ok: #087f5b; --bad: #c92a2a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { background: #1d2330; color: #fff; padding: 20px 32px; }
header h1 { margin: 0; font-size: 22px; } header p { margin: 4px 0 0; color: #c5cad3; }
main { max-width: 1200px; margin: 0 auto; padding: 8px 24px 24px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
h2 { font-size: 18px; margin: 0 0 12px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.figure .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.figure .value.ok { color: var(--ok); } .figure .value.bad { color: var(--bad); }
.figure .label { color: var(--muted); font-size: 13px; }
figure.chart { margin: 18px 0 8px; }
figcaption strong { display: block; font-size: 15px; } figcaption span { color: var(--muted); font-size: 13px; }
.canvas-box { position: relative; height: 300px; margin-top: 6px; }
details { margin: 6px 0; } summary { cursor: pointer; color: var(--muted); font-size: 13px; }
.table-box { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; min-width: 50%; }
caption { text-align: left; color: var(--muted); padding: 2px 0 4px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; white-space: nowrap; }
th { background: #f0f2f5; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict-ok { color: var(--ok); font-weight: 600; } .verdict-bad { color: var(--bad); font-weight: 600; }
pre { background: #f0f2f5; padding: 10px; overflow-x: auto; font-size: 12px; }
p.text { margin: 8px 0; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 0 0 24px; }
`;

/** Draws every chart from #chart-data; marks each canvas once Chart.js has rendered it. */
const BOOT = `
(function () {
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  var palette = ${JSON.stringify(PALETTE)};
  var drawn = 0;
  specs.forEach(function (spec) {
    var canvas = document.querySelector('canvas[data-chart="' + spec.id + '"]');
    var points = 0;
    var datasets = spec.datasets.map(function (d, i) {
      var color = d.color || palette[i % palette.length];
      points += d.data.filter(function (v) { return v !== null; }).length;
      var data = spec.numericX ? d.data.map(function (v, j) { return { x: spec.labels[j], y: v }; }) : d.data;
      return {
        type: d.kind || 'line', label: d.label, data: data, borderColor: color,
        backgroundColor: d.kind === 'bar' ? color + 'cc' : color, yAxisID: d.right ? 'y2' : 'y', stack: d.stack,
        showLine: !d.pointsOnly, pointRadius: d.pointsOnly ? 10 : (d.dashed || spec.labels.length > 60 ? 0 : 3),
        pointStyle: d.pointsOnly ? 'triangle' : 'circle', borderWidth: d.kind === 'bar' ? 0 : 2,
        borderDash: d.dashed ? [6, 4] : undefined, spanGaps: true, order: d.pointsOnly ? 0 : 1
      };
    });
    var stacked = spec.datasets.some(function (d) { return d.stack; });
    var scales = {
      x: { type: spec.numericX ? 'linear' : 'category', title: { display: true, text: spec.xTitle }, stacked: stacked },
      y: { beginAtZero: true, title: { display: true, text: spec.yTitle }, stacked: stacked }
    };
    if (spec.y2Title) scales.y2 = { position: 'right', beginAtZero: true, title: { display: true, text: spec.y2Title }, grid: { drawOnChartArea: false } };
    new Chart(canvas, {
      data: { labels: spec.numericX ? undefined : spec.labels, datasets: datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: spec.numericX ? 'nearest' : 'index', intersect: false },
        plugins: { legend: { position: 'bottom' } }, scales: scales
      },
      plugins: [{ id: 'mark-x', afterDatasetsDraw: function (chart) {
        if (!spec.markX) return;
        var x = chart.scales.x.getPixelForValue(spec.markX.value), area = chart.chartArea, ctx = chart.ctx;
        ctx.save(); ctx.strokeStyle = '#CC79A7'; ctx.lineWidth = 2; ctx.setLineDash([5, 4]);
        ctx.beginPath(); ctx.moveTo(x, area.top); ctx.lineTo(x, area.bottom); ctx.stroke();
        ctx.setLineDash([]); ctx.fillStyle = '#8a3d6b'; ctx.font = 'bold 12px system-ui, sans-serif';
        ctx.textAlign = x > area.right - 160 ? 'right' : 'left';
        ctx.fillText(spec.markX.label, x + (ctx.textAlign === 'right' ? -6 : 6), area.top + 14); ctx.restore();
      } }, { id: 'mark-drawn', afterRender: function (chart) {
        if (chart.canvas.dataset.drawn) return;
        chart.canvas.dataset.drawn = 'true';
        chart.canvas.dataset.points = String(points);
        drawn += 1;
        document.body.dataset.chartsDrawn = String(drawn);
      } }]
    });
  });
})();
`;
