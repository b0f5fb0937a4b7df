// Page 2, "Face sets": the crops of a face set as a grid; click faces to select them, then remove
// them (they move to removed/ with their alignments, never deleted) or restore removed ones.
import { api, el, postJson, setStatus, fillSelect } from './api.js';

let nodes;
const selected = new Set();
const selectedRemoved = new Set();

export function init() {
  nodes = {
    select: document.getElementById('faceset-select'),
    count: document.getElementById('faceset-count'),
    remove: document.getElementById('faceset-remove'),
    clear: document.getElementById('faceset-clear'),
    status: document.getElementById('faceset-status'),
    grid: document.getElementById('faceset-grid'),
    removed: document.getElementById('faceset-removed'),
    removedCount: document.getElementById('faceset-removed-count'),
    restore: document.getElementById('faceset-restore'),
  };
  nodes.select.addEventListener('change', () => load());
  nodes.remove.addEventListener('click', () => change('remove', selected));
  nodes.restore.addEventListener('click', () => change('restore', selectedRemoved));
  nodes.clear.addEventListener('click', () => {
    selected.clear();
    for (const face of nodes.grid.querySelectorAll('.face')) face.setAttribute('aria-pressed', 'false');
    buttons();
  });
}

export async function show() {
  try {
    const sets = await api('/api/facesets');
    fillSelect(nodes.select, sets.map(s => s.name), name => {
      const s = sets.find(x => x.name === name);
      return `${name} (${s.faces} faces${s.removed ? `, ${s.removed} removed` : ''})`;
    });
    if (!sets.length) {
      nodes.grid.replaceChildren(el('p', { class: 'muted' }, 'No face sets yet: extract one on the Jobs page (they live in the workspace\'s facesets/ folder).'));
      return;
    }
    await load();
  } catch (e) {
    setStatus(nodes.status, e.message, true);
  }
}

export function hide() {}

const name = () => nodes.select.value;

async function load() {
  selected.clear();
  selectedRemoved.clear();
  const set = encodeURIComponent(name());
  const [faces, removed] = await Promise.all([api(`/api/facesets/${set}/faces`), api(`/api/facesets/${set}/faces?removed=true`)]);
  nodes.count.textContent = `${faces.length} faces`;
  nodes.grid.replaceChildren(...faces.map(f => tile(set, f, selected, false)));
  nodes.removed.replaceChildren(...removed.map(f => tile(set, f, selectedRemoved, true)));
  nodes.removedCount.textContent = removed.length;
  buttons();
}

function tile(set, face, selection, removed) {
  const button = el('button', { type: 'button', class: 'face', 'aria-pressed': 'false', title: `${face.source}, frame ${face.frame}, score ${face.score}`, 'data-file': face.file },
    el('img', { src: `/api/facesets/${set}/faces/${encodeURIComponent(face.file)}${removed ? '?removed=true' : ''}`, alt: face.file, loading: 'lazy' }),
    el('span', {}, `#${face.frame}`));
  button.addEventListener('click', () => {
    if (selection.has(face.file)) selection.delete(face.file); else selection.add(face.file);
    button.setAttribute('aria-pressed', String(selection.has(face.file)));
    buttons();
  });
  return button;
}

function buttons() {
  nodes.remove.disabled = selected.size === 0;
  nodes.clear.disabled = selected.size === 0;
  nodes.remove.textContent = selected.size ? `Remove ${selected.size} selected` : 'Remove selected';
  nodes.restore.disabled = selectedRemoved.size === 0;
}

async function change(operation, selection) {
  const files = [...selection];
  try {
    const answer = await postJson(`/api/facesets/${encodeURIComponent(name())}/${operation}`, { files });
    setStatus(nodes.status, operation === 'remove'
      ? `Removed ${answer.removed} face(s); ${answer.faces} left. They are in the face set's removed/ folder.`
      : `Restored ${answer.restored} face(s); ${answer.faces} in the set.`);
    await show();
  } catch (e) {
    setStatus(nodes.status, e.message, true);
  }
}
