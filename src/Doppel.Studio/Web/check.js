// Page 1, "Check a file": upload, then two separate panels — provenance (C2PA, what the file says
// about itself) and pixel evidence (the detector, what the pixels show). They answer different
// questions and are never merged into one verdict.
import { el, upload, setStatus, dropZone, fileUrl, bytes } from './api.js';
import { showDetection } from './detection.js';

let nodes, checks = 0;

export function init() {
  nodes = {
    drop: document.getElementById('check-drop'),
    input: document.getElementById('check-input'),
    status: document.getElementById('check-status'),
    result: document.getElementById('check-result'),
    preview: document.getElementById('check-preview'),
    name: document.getElementById('check-name'),
    meta: document.getElementById('check-meta'),
    download: document.getElementById('check-download'),
    provenance: document.getElementById('provenance'),
    detection: document.getElementById('detection'),
  };
  dropZone(nodes.drop, nodes.input, checkFile);
}

export function show() {}
export function hide() {}

async function checkFile(file) {
  setStatus(nodes.status, `Checking ${file.name}…`);
  nodes.result.hidden = true;
  try {
    const answer = await upload('/api/check', file);
    render(answer);
    setStatus(nodes.status, '');
  } catch (e) {
    setStatus(nodes.status, e.message, true);
  }
}

function render(answer) {
  nodes.name.textContent = answer.name;
  nodes.meta.textContent = `${answer.mediaType}, ${bytes(answer.size)}`;
  const url = fileUrl(answer.file);
  nodes.preview.replaceChildren(
    answer.mediaType.startsWith('video/') ? el('video', { src: url, controls: true, muted: true })
      : answer.mediaType.startsWith('image/') ? el('img', { src: url, alt: answer.name }) : el('span', { class: 'muted' }, 'no preview'));
  const json = new Blob([JSON.stringify(answer, null, 2)], { type: 'application/json' });
  if (nodes.download.href) URL.revokeObjectURL(nodes.download.href);
  nodes.download.href = URL.createObjectURL(json);
  nodes.download.download = answer.name + '.check.json';
  nodes.provenance.replaceChildren(...provenance(answer.provenance));
  nodes.result.hidden = false;
  const mine = ++checks;
  showDetection(nodes.detection, answer.detection, () => mine === checks)
    .catch(e => nodes.detection.replaceChildren(el('p', { class: 'status error' }, e.message)));
}

const STATE = {
  Valid: ['valid', 'VALID', 'The manifest is intact: the file has not changed since it was signed.'],
  Invalid: ['invalid', 'INVALID', 'The manifest or the file was changed after signing, or the manifest is broken. Do not trust what it says.'],
  NoManifest: ['none', 'NO MANIFEST', 'The file carries no content credentials. That proves nothing either way: most real and most fake files have none.'],
};

function provenance(p) {
  const [css, word, meaning] = STATE[p.state] || ['none', p.state, ''];
  const out = [el('div', { class: 'verdict ' + css, 'data-verdict': css }, word)];
  const synthetic = p.digitalSourceTypes.filter(t => t.synthetic);
  if (synthetic.length) out.push(el('div', { class: 'verdict synthetic', 'data-synthetic': 'true' }, 'SYNTHETIC'));
  out.push(el('p', {}, meaning));
  if (p.state === 'NoManifest') return out;
  if (synthetic.length)
    out.push(el('p', {}, 'The manifest declares this file synthetic: ', synthetic.map(t => t.meaning).join('; '), '.'));
  out.push(el('dl', { class: 'facts' },
    fact('Signed by', p.signer ? `${p.signer} (issuer ${p.issuer || '?'}, ${p.alg || '?'})` : 'unknown'),
    fact('Trust', 'not checked against a trust list: a valid signature means intact, not vouched for'),
    fact('Made with', p.claimGenerator || '–'),
    fact('Title', p.title || '–'),
    fact('Manifest', `${p.activeManifest || '–'} in ${p.container || '?'}`)));
  out.push(el('h4', {}, 'Actions'));
  out.push(p.actions.length ? el('ul', {}, p.actions.map(a => el('li', { class: 'code' }, a))) : el('p', { class: 'muted' }, 'none recorded'));
  out.push(el('h4', {}, 'Ingredients'));
  out.push(p.ingredients.length
    ? el('table', {}, el('tr', {}, el('th', {}, 'file'), el('th', {}, 'relationship'), el('th', {}, 'format'), el('th', {}, 'SHA-256')),
      p.ingredients.map(i => el('tr', {}, el('td', {}, i.title || '–'), el('td', {}, i.relationship || '–'), el('td', {}, i.format || '–'), el('td', { class: 'hash' }, i.sha256 || '–'))))
    : el('p', { class: 'muted' }, 'none recorded'));
  out.push(el('h4', {}, 'Status codes'));
  out.push(el('ul', { class: 'codes' },
    p.failure.map(c => el('li', { class: 'fail' }, '✕ ', el('span', { class: 'code' }, c.code), ': ', c.explanation)),
    p.success.map(c => el('li', {}, '✓ ', el('span', { class: 'code' }, c.code), ': ', c.explanation))));
  return out;
}

function fact(term, value) {
  return [el('dt', {}, term), el('dd', {}, value)];
}
