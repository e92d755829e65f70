/** The `id` of the `<script type="application/json">` element the chart script reads. */
export const chartDataId = 'chart-data'

/** What the metric page embeds for its chart; every label is formatted on the server. */
export interface ChartData {
  unit: string
  stat: string
  points: Array<{ v: number | null; sha: string; date: string; day: string; value: string; runId: string; message: string }>
  targets: Array<{ label: string; value: number }>
  changePoints: Array<{ index: number; regression: boolean; label: string }>
}

/**
 * Browser code that draws the metric chart with uPlot from the embedded JSON. Plain ES5
 * in a string, not compiled TypeScript, so the bytes (and the CSP hash) do not depend on
 * which tool built perftrack. All history text reaches the DOM through textContent only.
 */
export const chartScript = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('${chartDataId}').textContent);
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
    ttSha.textContent = p.sha;
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
        values: function (u, splits) {
          return splits.map(function (i) { return data.points[i] ? data.points[i].day : ''; });
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
    hooks: { draw: [drawChangePoints], setCursor: [showTooltip] }
  };

  var chart = new uPlot(opts, columns, root);
  chart.over.appendChild(tooltip);
  chart.over.addEventListener('mouseleave', function () { tooltip.classList.remove('visible'); });
  window.addEventListener('resize', function () {
    chart.setSize({ width: root.clientWidth, height: chartHeight() });
  });
})();
`.trim()
