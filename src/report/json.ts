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
    const sep = first ? '{\n' : ',\n';
    first = false;
    if (Array.isArray(v) && v.length > 0) {
      yield `${sep}  ${JSON.stringify(key)}: [\n`;
      for (let i = 0; i < v.length; i++) yield `${i > 0 ? ',\n' : ''}${nestedTwice(v[i])}`;
      yield '\n  ]';
    } else yield sep + JSON.stringify({ [key]: v }, null, 2).slice(2, -2); // `  "key": value`, nested as in the whole
  }
  yield first ? '{}\n' : '\n}\n';
}

/**
 * `JSON.stringify(item, null, 2)` two levels deep, as an element of a top-level array: stringified
 * inside `[[item]]` and cut out, which is ~2 × faster than indenting its lines afterwards (the
 * snapshot of a 1 GiB archive: 23-38 against 47-60 ms). Undefined, a function or a symbol is `null`, as
 * in an array.
 */
function nestedTwice(item: unknown): string {
  return JSON.stringify([[item]], null, 2).slice(6, -6);
}
