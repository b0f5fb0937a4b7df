// Prints the official C2PA reader's verdict for a file as one JSON object on stdout:
//   {"state": "Valid"|"Invalid"|"Trusted"|..., "codes": [...failure codes...], "store": {...}}
// or {"state": "NoManifest", "error": "..."} / {"state": "Error", "error": "..."}.
// usage: node c2pa-read.mjs <path to @contentauth/c2pa-wasm package dir> <file> [mime]
// Runs offline: the wasm module is read from the unpacked npm package in Doppel's cache.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join, extname } from 'node:path';

const [pkgDir, file, mimeArg] = process.argv.slice(2);
const mimes = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.mp4': 'video/mp4' };
const mime = mimeArg ?? mimes[extname(file).toLowerCase()] ?? 'application/octet-stream';
const mod = await import(pathToFileURL(join(pkgDir, 'pkg', 'c2pa.js')).href);
mod.initSync({ module: readFileSync(join(pkgDir, 'pkg', 'c2pa_bg.wasm')) });
try {
  const reader = await mod.WasmReader.fromBytes(mime, new Uint8Array(readFileSync(file)));
  const store = JSON.parse(reader.json());
  const codes = [];
  const results = store.validation_results?.activeManifest;
  for (const f of results?.failure ?? []) codes.push(f.code);
  for (const f of store.validation_status ?? []) if (!codes.includes(f.code)) codes.push(f.code);
  console.log(JSON.stringify({ state: store.validation_state ?? 'Unknown', codes, store }));
} catch (e) {
  const msg = String(e?.message ?? e);
  console.log(JSON.stringify({ state: /JumbfNotFound/i.test(msg) ? 'NoManifest' : 'Error', error: msg }));
}
