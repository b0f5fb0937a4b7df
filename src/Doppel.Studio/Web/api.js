// Small helpers shared by the pages: JSON requests with readable errors, element building, formatting.

/** Fetches JSON; a failed answer throws an Error carrying the server's message and hint. */
export async function api(path, options = {}) {
  const response = await fetch(path, { credentials: 'same-origin', ...options });
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    const message = body && body.error ? body.error + (body.hint ? ` (${body.hint})` : '') : `${response.status} ${response.statusText}`;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

export const postJson = (path, value) =>
  api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

/** Sends one file as multipart field "file". */
export function upload(path, file) {
  const form = new FormData();
  form.append('file', file, file.name);
  return api(path, { method: 'POST', body: form });
}

/** el('div', {class: 'x'}, 'text', child) — text is always set as text, never parsed as HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const fileUrl = path => '/api/files?path=' + encodeURIComponent(path);

export function duration(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return '–';
  seconds = Math.max(0, Math.round(seconds));
  const h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
  const two = n => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

export function bytes(n) {
  if (n >= 1 << 30) return (n / (1 << 30)).toFixed(1) + ' GiB';
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + ' MiB';
  if (n >= 1 << 10) return (n / (1 << 10)).toFixed(1) + ' KiB';
  return n + ' bytes';
}

export function setStatus(node, text, isError = false) {
  node.textContent = text || '';
  node.classList.toggle('error', !!isError);
}

/** Makes a label with a file input accept drops too; calls onFile with the File. */
export function dropZone(zone, input, onFile) {
  input.addEventListener('change', () => { if (input.files.length) onFile(input.files[0]); input.value = ''; });
  zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', e => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer && e.dataTransfer.files.length) onFile(e.dataTransfer.files[0]);
  });
  zone.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
}

/** Fills a <select> with values, keeping the current choice when it is still there. */
export function fillSelect(select, values, label = v => v) {
  const current = select.value;
  select.replaceChildren(...values.map(v => el('option', { value: v }, label(v))));
  if (values.includes(current)) select.value = current;
}
