// A small SVG line chart for metrics.csv: one line per metric against the iteration, drawn by
// hand (no chart library, nothing from a CDN). Long runs are reduced to bucket means so the SVG
// keeps a few hundred points however many iterations there are.
const NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#2f5fd0', '#d0502f', '#1d9a5a', '#9a3fc0', '#b08a00', '#2a9fb0'];
const W = 640, H = 300, L = 52, R = 12, T = 12, B = 34;

function svg(tag, attributes, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function reduce(points, max) {
  if (points.length <= max) return points;
  const size = points.length / max, out = [];
  for (let b = 0; b < max; b++) {
    const slice = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    out.push([slice[slice.length - 1][0], slice.reduce((s, p) => s + p[1], 0) / slice.length]);
  }
  return out;
}

function ticks(lo, hi, count) {
  const span = hi - lo || 1, step0 = span / count, mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= step0);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

/** Draws columns[2..] of the table against column 0 (iteration) into container; options: threshold (a dashed line), xLabel. */
export function drawChart(container, columns, rows, options = {}) {
  const series = columns.slice(2).map((name, k) => ({
    name, color: COLORS[k % COLORS.length],
    points: reduce(rows.map(r => [Number(r[0]), Number(r[k + 2])]).filter(p => isFinite(p[1])), 400),
  })).filter(s => s.points.length > 0);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'loss chart', 'data-points': String(rows.length) });
  if (!series.length) {
    root.append(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no metrics yet'));
    container.replaceChildren(root);
    return;
  }
  const all = series.flatMap(s => s.points);
  const x0 = Math.min(...all.map(p => p[0])), x1 = Math.max(...all.map(p => p[0]));
  const levels = all.map(p => p[1]).concat(options.threshold !== undefined ? [options.threshold] : []);
  let y0 = Math.min(...levels), y1 = Math.max(...levels);
  if (y0 === y1) { y0 -= 0.5; y1 += 0.5; }
  const sx = x => L + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (W - L - R);
  const sy = y => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  for (const v of ticks(y0, y1, 5)) {
    root.append(svg('line', { class: 'axis', x1: L, x2: W - R, y1: sy(v), y2: sy(v) }));
    root.append(svg('text', { x: L - 6, y: sy(v) + 4, 'text-anchor': 'end' }, String(+v.toPrecision(3))));
  }
  for (const v of ticks(x0, x1, 6).filter(v => Number.isInteger(v)))
    root.append(svg('text', { x: sx(v), y: H - B + 16, 'text-anchor': 'middle' }, String(v)));
  root.append(svg('text', { x: W - R, y: H - 4, 'text-anchor': 'end' }, options.xLabel || 'iteration'));
  if (options.threshold !== undefined)
    root.append(svg('line', { class: 'threshold', x1: L, x2: W - R, y1: sy(options.threshold), y2: sy(options.threshold), 'stroke-dasharray': '6 4', stroke: 'currentColor' }));
  series.forEach((s, k) => {
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    root.append(svg('path', { class: 'series', d, stroke: s.color, 'data-series': s.name }));
    root.append(svg('rect', { x: L + 10 + k * 90, y: T + 2, width: 10, height: 10, fill: s.color }));
    root.append(svg('text', { x: L + 24 + k * 90, y: T + 11 }, s.name));
  });
  container.replaceChildren(root);
}
