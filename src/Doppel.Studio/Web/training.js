// Page 3, "Training": start, stop and resume runs of `doppel train` and `doppel gan train` (as
// jobs), and watch a run live — Studio's or one started on the command line with
// `-o WORKSPACE/runs/NAME` — by polling once a second:
// its status (iteration, rate, ETA), new rows of metrics.csv for the chart, and the preview image
// whenever the trainer rewrites it.
import { api, el, postJson, setStatus, fillSelect, duration } from './api.js';
import { drawChart } from './chart.js';

let nodes, timer = null, watched = null, table = null, previewVersion = null, runs = [], starting = false;

export function init(config) {
  nodes = {
    form: document.getElementById('train-form'),
    status: document.getElementById('train-status'),
    ganForm: document.getElementById('gan-form'),
    ganStatus: document.getElementById('gan-status'),
    ganArch: document.getElementById('gan-arch'),
    ganData: document.getElementById('gan-data'),
    caption: document.getElementById('run-preview-caption'),
    model: document.getElementById('train-model'),
    run: document.getElementById('run-select'),
    state: document.getElementById('run-state'),
    stop: document.getElementById('run-stop'),
    resume: document.getElementById('run-resume'),
    stats: document.getElementById('run-stats'),
    preview: document.getElementById('run-preview'),
    chart: document.getElementById('run-chart'),
  };
  fillSelect(nodes.model, config.models);
  nodes.model.value = config.models.includes('lite') ? 'lite' : config.models[0];
  fillSelect(nodes.ganArch, config.ganArchitectures || ['mlp']);
  nodes.form.addEventListener('submit', e => { e.preventDefault(); start(false); });
  nodes.ganForm.addEventListener('submit', e => { e.preventDefault(); start(false, true); });
  nodes.run.addEventListener('change', () => watch(nodes.run.value));
  nodes.stop.addEventListener('click', stop);
  nodes.resume.addEventListener('click', () => start(true));
}

export async function show() {
  const sets = await api('/api/facesets');
  for (const select of nodes.form.querySelectorAll('.faceset-choice')) fillSelect(select, sets.map(s => s.name));
  const [a, b] = nodes.form.querySelectorAll('.faceset-choice');
  if (sets.length > 1 && a.value === b.value) b.value = sets[1].name;
  // mlp learns MNIST; dcgan a face set.
  fillSelect(nodes.ganData, ['mnist', ...sets.map(s => s.name)], v => v === 'mnist' ? 'MNIST (mlp)' : `face set ${v} (dcgan)`);
  await poll();
  timer = setInterval(poll, 1000);
}

export function hide() {
  clearInterval(timer);
  timer = null;
}

const isGan = run => run.task === 'gan';

function formOptions(resume, gan) {
  const f = new FormData(gan ? nodes.ganForm : nodes.form);
  const number = name => Number(f.get(name));
  const options = { name: resume ? watched : f.get('name'), iterations: number('iterations'), minutes: number('minutes'),
    previewEvery: number('previewEvery'), saveEvery: number('saveEvery') };
  if (resume) {
    const run = runs.find(r => r.run.name === watched).run;
    return isGan(run) ? { kind: 'gan-train', options: { ...options, resume: true } }
      : { kind: 'train', options: { ...options, a: run.faceSetA, b: run.faceSetB, resume: true } };
  }
  if (gan) return { kind: 'gan-train', options: { ...options, arch: f.get('arch'), data: f.get('data'), size: number('size'), batch: number('batch') } };
  return { kind: 'train', options: { ...options, a: f.get('a'), b: f.get('b'), model: f.get('model'), batch: number('batch'), lr: number('lr'), learnMask: f.get('learnMask') === 'on' } };
}

async function start(resume, gan = false) {
  const status = gan ? nodes.ganStatus : nodes.status;
  try {
    // A resume takes the form values of its own kind: the limits and cadences.
    const runGan = resume && isGan(runs.find(r => r.run.name === watched).run);
    const { kind, options } = formOptions(resume, gan || runGan);
    const job = await postJson('/api/jobs', { kind, options });
    setStatus(status, `Job ${job.id} ${job.state}: ${job.title}`);
    watched = options.name;
    starting = true;
    table = null;
    previewVersion = null;
    await poll();
  } catch (e) {
    setStatus(status, e.message, true);
  }
}

async function stop() {
  const entry = runs.find(r => r.run.name === watched);
  if (!entry || !entry.job) return;
  try {
    await api(`/api/jobs/${entry.job}`, { method: 'DELETE' });
    setStatus(nodes.status, 'Stopping: the trainer finishes its iteration and saves a checkpoint.');
  } catch (e) {
    setStatus(nodes.status, e.message, true);
  }
}

function watch(name) {
  watched = name;
  table = null;
  previewVersion = null;
  poll();
}

async function poll() {
  try {
    runs = await api('/api/runs');
    fillSelect(nodes.run, runs.map(r => r.run.name));
    let entry = runs.find(r => r.run.name === watched);
    if (entry) starting = false;
    else if (!starting) {
      // Nothing chosen (or it is gone): the live run, else the last one.
      const pick = runs.find(r => r.run.live) || runs[runs.length - 1];
      watched = pick ? pick.run.name : null;
      entry = pick;
    }
    if (!entry) {
      nodes.state.textContent = starting ? 'starting' : '';
      nodes.stats.replaceChildren(el('p', { class: 'muted' }, starting
        ? `Starting ${watched}: the run appears once the trainer has built the model.`
        : 'No runs yet. Start one here, or with doppel train -o WORKSPACE/runs/NAME.'));
      return;
    }
    nodes.run.value = watched;
    render(entry);
    await metrics(entry.run);
  } catch (e) {
    setStatus(nodes.status, e.message, true);
  }
}

function render({ run, job, jobState }) {
  const state = jobState === 'queued' ? 'queued' : run.state;
  nodes.state.textContent = state;
  nodes.state.className = 'badge ' + state.split(' ')[0];
  nodes.stop.hidden = !job;
  nodes.resume.hidden = !!job || run.live || !run.hasCheckpoint || (!isGan(run) && (!run.faceSetA || !run.faceSetB));
  nodes.caption.textContent = isGan(run) ? 'Preview: samples G(z) from the same fixed z each time' : 'Preview: rows A, A→A, A→B, B, B→B, B→A';
  const loss = run.lastMetrics ? Object.entries(run.lastMetrics).map(([k, v]) => `${k} ${Number(v).toFixed(4)}`).join(', ') : '–';
  nodes.stats.replaceChildren(...[
    ['Iteration', run.targetIterations ? `${run.iteration} / ${run.targetIterations}` : String(run.iteration), 'iteration'],
    ['Rate', run.iterationsPerSecond ? `${run.iterationsPerSecond.toFixed(2)} it/s` : '–', 'rate'],
    ['Examples/s', run.examplesPerSecond ? run.examplesPerSecond.toFixed(1) : '–', 'examples'],
    ['ETA', run.live ? duration(run.etaSeconds) : '–', 'eta'],
    ['Last losses', loss, 'loss'],
  ].map(([term, value, key]) => el('div', {}, el('dt', {}, term), el('dd', { 'data-stat': key }, value))));
  if (run.previewVersion && run.previewVersion !== previewVersion) {
    previewVersion = run.previewVersion;
    nodes.preview.src = `/api/runs/${encodeURIComponent(run.name)}/preview?v=${run.previewVersion}`;
    nodes.preview.dataset.version = String(run.previewVersion);
  }
}

async function metrics(run) {
  const last = table && table.rows.length ? table.rows[table.rows.length - 1][0] : -1;
  const fresh = await api(`/api/runs/${encodeURIComponent(run.name)}/metrics?after=${last}`);
  // A resumed run drops rows after its checkpoint: when the run is behind what we drew, start over.
  if (!table || fresh.columns.join() !== table.columns.join() || run.iteration < last) {
    table = await api(`/api/runs/${encodeURIComponent(run.name)}/metrics`);
  } else if (fresh.rows.length) {
    table.rows.push(...fresh.rows);
  } else if (nodes.chart.firstChild) {
    return;
  }
  drawChart(nodes.chart, table.columns, table.rows);
}
