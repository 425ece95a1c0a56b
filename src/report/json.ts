// `analyze --json`: the model snapshot as one JSON object (schema/analyze.schema.json).
//
// The text is exactly `JSON.stringify(snapshot, null, 2)` and a newline, but it is made and written
// in pieces, the large arrays one element at a time: a long archive's snapshot is ~10 MB of JSON,
// which as one string (and again as the buffer written) was the peak of the process's memory.

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ClusterSnapshot } from '../core/snapshot.js';

/** Bytes gathered before a write. */
const WRITE_CHUNK = 64 * 1024;

export function renderJson(snapshot: ClusterSnapshot): string {
  let out = '';
  for (const piece of jsonPieces(snapshot)) out += piece;
  return out;
}

/** Writes `renderJson(snapshot)` to `out` piece by piece, waiting when `out` is full. */
export async function writeJson(snapshot: ClusterSnapshot, out: Writable): Promise<void> {
  let pending = '';
  for (const piece of jsonPieces(snapshot)) {
    pending += piece;
    if (pending.length < WRITE_CHUNK) continue;
    const full = !out.write(pending);
    pending = '';
    if (full) await once(out, 'drain');
  }
  if (pending !== '' && !out.write(pending)) await once(out, 'drain');
}

/** `JSON.stringify(value, null, 2) + '\n'` in pieces: top-level arrays element by element. */
export function* jsonPieces(value: object): Generator<string> {
  let first = true;
  for (const [key, v] of Object.entries(value)) {
    // What JSON.stringify leaves out of an object: undefined, functions, symbols.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield `${first ? '{\n' : ',\n'}  ${JSON.stringify(key)}: `;
    first = false;
    if (Array.isArray(v) && v.length > 0) {
      yield '[\n';
      for (let i = 0; i < v.length; i++) yield `${i > 0 ? ',\n' : ''}    ${indented(JSON.stringify(v[i], null, 2) ?? 'null', '    ')}`;
      yield '\n  ]';
    } else yield indented(JSON.stringify(v, null, 2), '  ');
  }
  yield first ? '{}\n' : '\n}\n';
}

/** JSON text nested `pad` deeper (its strings hold no raw line break: JSON escapes them). */
function indented(text: string, pad: string): string {
  return text.includes('\n') ? text.replace(/\n/g, `\n${pad}`) : text;
}
