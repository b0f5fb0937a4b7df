// Doppel Studio's page: four views switched by the URL's #fragment, each a module with show()/hide().
import { api } from './api.js';
import * as check from './check.js';
import * as facesets from './facesets.js';
import * as training from './training.js';
import * as jobs from './jobs.js';

const pages = { check, facesets, training, jobs };
let current = null;
let config = null;

function route() {
  const name = (location.hash || '#check').slice(1);
  const page = pages[name] ? name : 'check';
  if (current === page) return;
  if (current) pages[current].hide();
  for (const section of document.querySelectorAll('.page')) section.hidden = section.id !== 'page-' + page;
  for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.dataset.page === page);
  current = page;
  pages[page].show(config);
}

async function start() {
  config = await api('/api/config');
  document.getElementById('version').textContent = 'doppel ' + config.version;
  for (const page of Object.values(pages)) page.init(config);
  window.addEventListener('hashchange', route);
  route();
}

start().catch(e => { document.querySelector('main').textContent = 'Studio could not start: ' + e.message; });
