/** The `id` of the `<script type="application/json">` element the chart script reads. */
export const chartDataId = 'chart-data'

/** One run of the report, shared by every page in `assets/runs.js` (written once, not per metric). */
export interface SharedRun {
  /** Axis label: the short commit, or `#n` (run order) without one. */
  label: string
  sha: string
  /** Full commit, for a link; '' when unknown. */
  commit: string
  date: string
  runId: string
  message: string
}

/** What the metric page embeds for its chart: per point the shared run's index, the value and its formatted text. */
export interface ChartData {
  unit: string
  stat: string
  /** `https://github.com/o/r` — commits link to `<repoUrl>/commit/<sha>`; '' for no links. */
  repoUrl: string
  /** Per point: shared run index, value, its text, and (when `upper` is 'p95') the p95 and its text. */
  points: Array<[run: number, v: number | null, value: string, upper?: number | null, upperText?: string]>
  /** 'p95' when a p95 series is drawn above the plotted statistic, as a band; '' otherwise. */
  upper: string
  targets: Array<{ label: string; value: number; onUpper: boolean }>
  changePoints: Array<{ index: number; regression: boolean; label: string }>
}

/** The global that `assets/runs.js` defines. */
export const sharedRunsGlobal = 'perftrackRuns'

/**
 * Browser code that draws the metric chart with uPlot from the embedded JSON and the shared
 * runs, and fills the table of runs. Plain ES5 in a string, not compiled TypeScript, so the
 * bytes do not depend on which tool built perftrack. Written once as `assets/chart.js`. All
 * history text reaches the DOM through textContent only.
 */
export const chartScript = `
(function () {
  'use strict';
  var raw = JSON.parse(document.getElementById('${chartDataId}').textContent);
  var runs = window.${sharedRunsGlobal} || [];
  var data = {
    unit: raw.unit, stat: raw.stat, targets: raw.targets, changePoints: raw.changePoints,
    points: raw.points.map(function (p) {
      var r = runs[p[0]] || { label: '#' + (p[0] + 1), sha: '', commit: '', date: '', runId: '', message: '' };
      return { run: p[0], v: p[1], value: p[2], up: p.length > 3 ? p[3] : null, upText: p.length > 4 ? p[4] : '', label: r.label, sha: r.sha, commit: r.commit, date: r.date, runId: r.runId, message: r.message };
    })
  };
  fillRuns();
  if (data.points.length === 0) return;

  // The table of runs, newest first; a commit links to the repository when --repo-url gave one.
  function fillRuns() {
    var body = document.getElementById('runs-body');
    if (!body) return;
    for (var i = data.points.length - 1; i >= 0; i--) {
      var p = data.points[i];
      var tr = document.createElement('tr');
      var cells = [String(i + 1), null, p.date, p.value, p.runId, p.message];
      var classes = ['num', '', 'nowrap', 'num', 'hide-narrow', 'message'];
      for (var c = 0; c < cells.length; c++) {
        var td = document.createElement('td');
        if (classes[c]) td.className = classes[c];
        if (c === 1) {
          var code = document.createElement('code');
          code.textContent = p.sha || '—';
          if (raw.repoUrl && p.commit) {
            var a = document.createElement('a');
            a.href = raw.repoUrl + '/commit/' + p.commit;
            a.appendChild(code);
            td.appendChild(a);
          } else td.appendChild(code);
        } else if (c === 4) {
          var id = document.createElement('code');
          id.textContent = cells[c];
          td.appendChild(id);
        } else td.textContent = cells[c];
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
  }
  var root = document.getElementById('chart');
  var tooltip = document.getElementById('chart-tooltip');
  var css = getComputedStyle(document.documentElement);
  function cssVar(name) { return css.getPropertyValue(name).trim(); }
  var colors = {
    value: cssVar('--accent'),
    target: cssVar('--target'),
    change: cssVar('--change'),
    regression: cssVar('--regression'),
    axis: cssVar('--muted'),
    grid: '#eef0f3'
  };

  var xs = data.points.map(function (p, i) { return i; });
  var columns = [xs, data.points.map(function (p) { return p.v; })];
  var series = [
    { label: 'Run' },
    { label: data.stat, stroke: colors.value, width: 2, points: { size: 5, fill: colors.value } }
  ];
  var bands;
  if (raw.upper) {
    // The p95 line and the band between it and the plotted statistic: how far the slow tail reaches.
    columns.push(data.points.map(function (p) { return p.up; }));
    series.push({ label: raw.upper, stroke: colors.value, width: 1, alpha: 0.6, points: { show: false } });
    bands = [{ series: [2, 1], fill: 'rgba(37, 99, 235, 0.12)' }];
  }
  data.targets.forEach(function (t) {
    columns.push(xs.map(function () { return t.value; }));
    series.push({ label: t.label, stroke: colors.target, width: 1.5, dash: [6, 4], points: { show: false } });
  });

  function autoSize(u, values, axisIdx, cycleNum) {
    var axis = u.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    var size = axis.ticks.size + axis.gap;
    var longest = (values || []).reduce(function (a, v) { return String(v).length > a.length ? String(v) : a; }, '');
    if (longest !== '') {
      u.ctx.font = axis.font[0];
      size += u.ctx.measureText(longest).width / uPlot.pxRatio;
    }
    return Math.ceil(size);
  }

  // Vertical lines between the last point before a step and the first after it.
  function drawChangePoints(u) {
    var ctx = u.ctx;
    var dpr = uPlot.pxRatio;
    var top = u.bbox.top;
    var bottom = u.bbox.top + u.bbox.height;
    ctx.save();
    ctx.font = 'bold ' + Math.round(11 * dpr) + 'px system-ui, sans-serif';
    // uPlot leaves the alignment of its last axis label on the context.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    data.changePoints.forEach(function (cp) {
      var x = Math.round(u.valToPos(cp.index - 0.5, 'x', true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      var color = cp.regression ? colors.regression : colors.change;
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = (cp.regression ? 2 : 1.5) * dpr;
      ctx.setLineDash(cp.regression ? [] : [5 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      var width = ctx.measureText(cp.label).width;
      var textX = x + 4 * dpr + width > u.bbox.left + u.bbox.width ? x - 4 * dpr - width : x + 4 * dpr;
      ctx.fillText(cp.label, textX, top + 4 * dpr);
    });
    ctx.restore();
  }

  function row(label) {
    var div = document.createElement('div');
    div.className = 'tt-row';
    div.appendChild(document.createTextNode(label + ' '));
    var b = document.createElement('b');
    div.appendChild(b);
    tooltip.appendChild(div);
    return b;
  }
  var ttValue = document.createElement('div');
  ttValue.className = 'tt-value';
  tooltip.appendChild(ttValue);
  var ttRunNo = row('run #');
  var ttUpper = raw.upper ? row(raw.upper) : null;
  var ttSha = row('commit');
  var ttDate = row('date');
  var ttRun = row('run');
  var ttMessage = document.createElement('div');
  ttMessage.className = 'tt-message';
  tooltip.appendChild(ttMessage);

  function showTooltip(u) {
    var idx = u.cursor.idx;
    var p = idx == null ? null : data.points[idx];
    if (!p || u.cursor.left == null || u.cursor.left < 0) {
      tooltip.classList.remove('visible');
      return;
    }
    ttValue.textContent = p.value;
    ttRunNo.textContent = String(idx + 1);
    if (ttUpper) ttUpper.textContent = p.upText;
    ttSha.textContent = p.sha || '—';
    ttDate.textContent = p.date;
    ttRun.textContent = p.runId;
    ttMessage.textContent = p.message;
    ttMessage.style.display = p.message ? '' : 'none';
    tooltip.classList.add('visible');

    var px = u.valToPos(idx, 'x');
    var py = p.v == null ? u.cursor.top : u.valToPos(p.v, 'y');
    var w = tooltip.offsetWidth;
    var h = tooltip.offsetHeight;
    var maxX = u.over.clientWidth;
    var maxY = u.over.clientHeight;
    var left = px + 14 + w > maxX ? px - 14 - w : px + 14;
    var top = py - h - 10 < 0 ? py + 10 : py - h - 10;
    tooltip.style.left = Math.max(0, Math.min(left, maxX - w)) + 'px';
    tooltip.style.top = Math.max(0, Math.min(top, maxY - h)) + 'px';
  }

  function chartHeight() { return window.innerWidth < 640 ? 280 : 380; }

  var opts = {
    width: root.clientWidth,
    height: chartHeight(),
    legend: { show: false },
    cursor: { y: false, points: { size: 9 } },
    scales: { x: { time: false } },
    axes: [
      {
        stroke: colors.axis,
        grid: { stroke: colors.grid },
        ticks: { stroke: colors.grid },
        space: 100,
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000],
        // Runs in order, labelled by commit: 16 runs of one day are 16 different labels (the date is in the tooltip).
        values: function (u, splits) {
          return splits.map(function (i) { return data.points[i] ? data.points[i].label : ''; });
        }
      },
      {
        stroke: colors.axis,
        grid: { stroke: colors.grid },
        ticks: { stroke: colors.grid },
        label: data.unit || undefined,
        size: autoSize
      }
    ],
    series: series,
    bands: bands,
    hooks: { draw: [drawChangePoints], setCursor: [showTooltip] }
  };

  var chart = new uPlot(opts, columns, root);
  // For the browser console (and the report's browser test): the drawn chart.
  window.perftrackChart = chart;
  chart.over.appendChild(tooltip);
  chart.over.addEventListener('mouseleave', function () { tooltip.classList.remove('visible'); });
  window.addEventListener('resize', function () {
    chart.setSize({ width: root.clientWidth, height: chartHeight() });
  });
})();
`.trim()
