// Page 4, "Jobs": queue extract and convert (and detect, when the build has it) as background
// jobs, one at a time; each shows its state, progress, ETA, log, a Cancel button and, when done,
// its result in the page (convert: the source and the result side by side).
import { api, el, postJson, upload, setStatus, dropZone, fillSelect, fileUrl, duration } from './api.js';

let nodes, timer = null, config;
const openLogs = new Set();

export function init(c) {
  config = c;
  nodes = {
    input: document.getElementById('job-input'),
    upload: document.getElementById('job-upload'),
    status: document.getElementById('job-status'),
    list: document.getElementById('job-list'),
    tabs: [...document.querySelectorAll('#page-jobs .tab')],
    forms: [...document.querySelectorAll('#page-jobs [data-kind]:not(.tab)')],
  };
  fillSelect(document.getElementById('job-colors'), config.colors);
  document.getElementById('job-colors').value = 'reinhard';
  fillSelect(document.getElementById('job-blends'), config.blends);
  document.getElementById('job-detect-message').textContent = config.detectAvailable
    ? 'Looks for face-swap traces in the pixels (doppel detect); the Check page runs it on every file too.' : `Detect: ${config.detectMessage}.`;
  if (!config.detectAvailable) for (const field of document.querySelectorAll('#job-detect input, #job-detect button')) field.disabled = true;
  dropZone(nodes.upload.parentElement, nodes.upload, async file => {
    setStatus(nodes.status, `Uploading ${file.name}…`);
    try {
      const answer = await upload('/api/uploads', file);
      await uploads(answer.path);
      setStatus(nodes.status, `Uploaded ${file.name}.`);
    } catch (e) { setStatus(nodes.status, e.message, true); }
  });
  for (const tab of nodes.tabs) tab.addEventListener('click', () => select(tab.dataset.kind));
  for (const form of nodes.forms.filter(f => f.tagName === 'FORM')) form.addEventListener('submit', e => { e.preventDefault(); submit(form); });
}

export async function show() {
  await uploads();
  const runs = await api('/api/runs');
  fillSelect(document.querySelector('#job-convert .run-choice'), runs.filter(r => r.run.hasCheckpoint).map(r => r.run.name));
  await poll();
  timer = setInterval(poll, 1000);
}

export function hide() {
  clearInterval(timer);
  timer = null;
}

function select(kind) {
  for (const tab of nodes.tabs) tab.setAttribute('aria-selected', String(tab.dataset.kind === kind));
  for (const form of nodes.forms) form.hidden = form.dataset.kind !== kind;
}

async function uploads(choose) {
  const files = await api('/api/uploads');
  fillSelect(nodes.input, files.map(f => f.path), path => path.replace(/^uploads\/\d{8}-\d{6}-[0-9a-f]{6}-/, ''));
  if (choose) nodes.input.value = choose;
}

async function submit(form) {
  const f = new FormData(form);
  const options = { input: nodes.input.value };
  for (const [key, value] of f.entries()) {
    const field = form.elements[key];
    options[key] = field.type === 'number' ? Number(value) : value;
  }
  try {
    const job = await postJson('/api/jobs', { kind: form.dataset.kind, options });
    setStatus(nodes.status, `Job ${job.id} ${job.state}: ${job.title}`);
    await poll();
  } catch (e) {
    setStatus(nodes.status, e.message, true);
  }
}

async function poll() {
  try {
    const jobs = await api('/api/jobs');
    const items = [];
    for (const job of jobs.slice().reverse()) items.push(await render(job));
    nodes.list.replaceChildren(...items);
  } catch (e) {
    setStatus(nodes.status, e.message, true);
  }
}

// Finished jobs keep their element (videos would restart if it were rebuilt every second).
const finished = new Map();

async function render(job) {
  if (finished.has(job.id)) return finished.get(job.id);
  const p = job.progress;
  const progress = job.state === 'running' || job.state === 'succeeded'
    ? el('div', {},
      el('progress', { max: 1, value: job.state === 'succeeded' ? 1 : p && p.fraction !== null ? p.fraction : undefined }),
      el('span', { class: 'muted', 'data-progress': job.id }, p ? `${p.count}${p.total ? ' / ' + p.total : ''} ${p.unit || ''}` +
        (p.rate ? `, ${p.rate.toFixed(1)} ${p.unit}/s` : '') + (p.etaSeconds !== null && !p.done ? `, ETA ${duration(p.etaSeconds)}` : '') : job.state === 'succeeded' ? 'done' : 'starting…'))
    : null;
  const log = el('details', { open: openLogs.has(job.id) || undefined, ontoggle: e => e.target.open ? openLogs.add(job.id) : openLogs.delete(job.id) },
    el('summary', {}, 'Log'), el('pre', {}, job.log.join('\n')));
  const cancel = !['succeeded', 'failed', 'cancelled'].includes(job.state)
    ? el('button', { class: 'danger', 'data-cancel': job.id, onclick: () => cancelJob(job.id) }, 'Cancel') : null;
  const node = el('li', { class: 'job', 'data-job': job.id, 'data-state': job.state },
    el('header', {}, el('span', { class: 'title' }, `#${job.id} ${job.title}`), el('span', { class: 'state ' + job.state }, job.state), cancel),
    progress, job.error ? el('p', { class: 'error' }, job.error) : null, log,
    job.state === 'succeeded' ? result(job) : null);
  if (['succeeded', 'failed', 'cancelled'].includes(job.state)) finished.set(job.id, node);
  return node;
}

function result(job) {
  const file = role => (job.files.find(f => f.role === role) || {}).path;
  const media = (path, label) => el('figure', {},
    /\.(png|jpe?g)$/i.test(path) ? el('img', { src: fileUrl(path), alt: label }) : el('video', { src: fileUrl(path), controls: true, muted: true, preload: 'metadata' }),
    el('figcaption', {}, label));
  if (job.kind === 'convert')
    return el('div', { class: 'result', 'data-result': job.id }, media(file('source'), 'source'), media(file('result'), 'result (labelled synthetic with C2PA)'));
  if (job.kind === 'extract')
    return el('p', { 'data-result': job.id }, 'Face set ready: ', el('a', { href: '#facesets' }, file('faceset')));
  if (job.kind === 'detect')
    return el('p', { 'data-result': job.id }, 'Detection result (doppel detect --json): ', el('a', { href: fileUrl(file('detection')), download: '' }, file('detection')));
  if (job.kind === 'train')
    return el('p', { 'data-result': job.id }, 'Run saved: ', el('a', { href: '#training' }, file('run')));
  return null;
}

async function cancelJob(id) {
  try {
    await api(`/api/jobs/${id}`, { method: 'DELETE' });
    setStatus(nodes.status, `Cancelling job ${id}…`);
    await poll();
  } catch (e) {
    setStatus(nodes.status, e.message, true);
  }
}
