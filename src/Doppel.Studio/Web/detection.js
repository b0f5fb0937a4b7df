// The detection panel of "Check a file": the fake detector runs as a job (doppel detect --json);
// this follows the job and shows its verdict, kept apart from provenance. Scores are a guess
// from pixels; the verdict names its threshold, that threshold's false-positive rate and the model.
// The job also writes doppel detect --report; its report.json indexes the most suspicious faces
// with their blend-boundary heatmaps and each track's thumbnails, shown here as workspace files.
import { api, el, fileUrl } from './api.js';
import { drawChart } from './chart.js';

const VERDICT = {
  'likely-fake': ['invalid', 'LIKELY FAKE', 'The detector\'s score is at or above its threshold: the pixels look like a face swap.'],
  'no-evidence': ['none', 'NO EVIDENCE', 'The score is below the threshold: nothing found. That is not proof the file is real.'],
  'inconclusive': ['none', 'INCONCLUSIVE', 'The detector could not decide.'],
};

/** Renders detection state d into panel; follows the job until it ends. */
export async function showDetection(panel, d, isCurrent) {
  if (!d.available) {
    panel.replaceChildren(el('div', { class: 'verdict unavailable', 'data-detection': 'unavailable' }, 'NOT AVAILABLE'),
      el('p', { class: 'unavailable' }, d.message + '.'),
      el('p', { class: 'muted' }, 'Provenance only says what the file claims about itself; a detector would look at the pixels. Without one, a file with no manifest is simply unknown.'));
    return;
  }
  if (!d.job) { panel.replaceChildren(el('p', { class: 'status error', 'data-detection': 'failed' }, d.message)); return; }
  for (;;) {
    if (!isCurrent()) return;
    const job = await api(`/api/jobs/${d.job}`);
    if (job.state === 'queued' || job.state === 'running') {
      const p = job.progress;
      panel.replaceChildren(el('div', { class: 'verdict unavailable', 'data-detection': job.state }, job.state === 'queued' ? 'QUEUED' : 'RUNNING'),
        el('p', { class: 'muted' }, `The fake detector runs as job #${job.id} (see Jobs)` + (p ? `: ${p.count}${p.total ? ' / ' + p.total : ''} ${p.unit}` : '') + '.'));
      await new Promise(r => setTimeout(r, 1000));
      continue;
    }
    if (job.state !== 'succeeded') {
      const hint = job.log.filter(l => l.startsWith('hint: ')).pop();
      panel.replaceChildren(el('div', { class: 'verdict unavailable', 'data-detection': 'failed' }, 'DETECTION FAILED'),
        el('p', { class: 'status error' }, job.error || `the detect job ${job.state}`), hint ? el('p', { class: 'muted' }, hint) : null);
      return;
    }
    const path = job.files.find(f => f.role === 'detection').path;
    const doc = await api(fileUrl(path));
    const report = job.files.find(f => f.role === 'report');
    const pictures = report ? await api(fileUrl(report.path)).then(r => evidence(r, report.path)).catch(e => [el('p', { class: 'status error' }, 'pictures: ' + e.message)]) : [];
    panel.replaceChildren(...result(doc, path), ...pictures);
    return;
  }
}

function result(doc, path) {
  const input = doc.inputs[0];
  const [css, word, meaning] = VERDICT[input.verdict] || ['none', input.verdict, ''];
  const out = [el('div', { class: 'verdict ' + css, 'data-detection': input.verdict }, word), el('p', {}, meaning)];
  if (input.reason) out.push(el('p', { class: 'muted' }, 'Reason: ' + input.reason));
  const fpr = input.thresholdFpr === null ? 'set by hand: false-positive rate not measured' : `flags ${(input.thresholdFpr * 100).toFixed(1)}% of ${input.thresholdFprOn ?? 'held-out real faces'}`;
  out.push(el('dl', { class: 'facts' },
    [el('dt', {}, 'Score'), el('dd', {}, input.score === null ? 'none' : `${input.score.toFixed(3)} (0 = looks real, 1 = looks fake)`)],
    [el('dt', {}, 'Threshold'), el('dd', {}, `${input.threshold.toFixed(3)}, ${fpr}`)],
    [el('dt', {}, 'Model'), el('dd', {}, `${input.model} ${input.modelVersion}`)],
    [el('dt', {}, 'Frames'), el('dd', {}, `${input.framesRead} read, ${input.framesWithFaces} with a face, ${input.tracks.length} track(s)`)]));
  const frames = [...new Set(input.tracks.flatMap(t => t.faces.map(f => f.frame)))].sort((a, b) => a - b);
  if (frames.length > 1) {
    const columns = ['frame', 'time', ...input.tracks.map(t => `track ${t.id}`)];
    const rows = frames.map(frame => [frame, 0, ...input.tracks.map(t => (t.faces.find(f => f.frame === frame) || { score: NaN }).score)]);
    const chart = el('div', { class: 'chart', 'data-chart': 'scores' });
    drawChart(chart, columns, rows, { threshold: input.threshold, xLabel: 'frame' });
    out.push(el('h4', {}, 'Score per frame'), chart);
  }
  out.push(el('p', {}, el('a', { class: 'button secondary', href: fileUrl(path), download: path.split('/').pop() }, 'Download detection JSON')));
  return out;
}

// report.json -> the most suspicious faces beside where the model sees a blend boundary, then
// thumbnails along each track. Picture paths are relative to the report folder.
function evidence(report, indexPath) {
  const folder = indexPath.slice(0, indexPath.lastIndexOf('/') + 1);
  const input = report.inputs[0];
  if (!input) return [];
  const picture = (file, caption, kind) => el('figure', { class: 'face-figure' },
    el('img', { src: fileUrl(folder + file), alt: caption, 'data-picture': kind }), el('figcaption', {}, caption));
  const at = f => `${f.seconds.toFixed(2)} s`;
  const out = [];
  if (input.suspicious.length) {
    out.push(el('h4', {}, 'Most suspicious faces, and where the model sees a blend boundary'));
    out.push(el('div', { class: 'face-row', 'data-evidence': 'suspicious' }, input.suspicious.flatMap(f => [
      picture(f.face, `track ${f.track}, ${at(f)}: ${f.score.toFixed(3)}`, 'suspicious'),
      f.heatmap ? picture(f.heatmap, 'predicted boundary', 'heatmap') : null])));
  }
  if (input.tracks.length) {
    out.push(el('h4', {}, 'Tracks'));
    for (const t of input.tracks) {
      out.push(el('p', { class: 'muted' }, `track ${t.id}: ${t.faces} face(s), score ${t.score.toFixed(3)}${t.decides ? ' (decides the verdict)' : ''}`));
      out.push(el('div', { class: 'face-row', 'data-evidence': 'track' }, t.thumbnails.map(f => picture(f.file, `${at(f)}: ${f.score.toFixed(3)}`, 'thumbnail'))));
    }
  }
  out.push(el('p', { class: 'muted' }, 'These pictures show the people in the file: keep them private.'));
  return out;
}
