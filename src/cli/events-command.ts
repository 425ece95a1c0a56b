import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { sanitizeForTerminal } from '../core/sanitize.js';
import { streamEvents } from '../pipeline/read-events.js';
import type { InputStats } from '../core/types.js';
import type { CliArgs } from './args.js';
import { pathsOrDefault, readOptions, reportInputErrors } from './inputs.js';
import { ProgressLine } from './progress.js';
import { EXIT } from './exit-codes.js';

export async function runEvents(args: CliArgs): Promise<number> {
  const out: string[] = [];
  const stdout = process.stdout;
  // A progress line only when the events do not scroll on the same terminal.
  const progress = new ProgressLine(process.stdout.isTTY ? { isTTY: false, write: () => true } : process.stderr);
  let collected;
  try {
    // Each event is written as the merge hands it on, so nothing is kept; while the reader of a pipe
    // lags, the merge (and so the reading) waits: Node queues what a full pipe does not take.
    collected = await streamEvents(pathsOrDefault(args), { ...readOptions(args), onProgress: progress.update }, {
      event(ev) {
        out.push(JSON.stringify(ev));
        if (out.length >= 1000) return flush(out, stdout);
      },
    });
  } finally {
    progress.clear();
  }
  await flush(out, stdout);
  if (args.stats) for (const s of collected.inputs) process.stderr.write(`${statsLine(s)}\n`);
  reportInputErrors(collected.errors);
  return collected.errors.length > 0 ? EXIT.input : EXIT.ok;
}

/** Writes `lines` and empties it; resolves once `out` has room again when it was full. */
function flush(lines: string[], out: Writable): Promise<void> | undefined {
  if (lines.length === 0) return undefined;
  const full = !out.write(`${lines.join('\n')}\n`);
  lines.length = 0;
  // As writeJson and tail wait; a closed pipe ends the process on its 'error' (main.ts).
  return full ? once(out, 'drain').then(() => undefined) : undefined;
}

/**
 * `lines = recordLines + unparsed`, spelled out per input. Written to a terminal, so every name in
 * it is sanitised: JSON.stringify escapes C0 controls but not C1 controls or bidi overrides.
 */
export function statsLine(s: InputStats): string {
  const t = (text: unknown): string => sanitizeForTerminal(String(text));
  const events = Object.entries(s.events)
    .map(([k, v]) => `${t(k)}=${v}`)
    .join(' ');
  const used = s.used === false ? ` (not used: ${t(s.note)})` : '';
  return (
    `${t(JSON.stringify(s.file))} node=${t(s.node)} format=${t(s.format ?? '-')} lines=${s.lines} records=${s.records} ` +
    `recordLines=${s.recordLines} unparsed=${s.unparsed} invalidUtf8=${s.invalidUtf8} truncated=${s.truncatedLines} ` +
    `unrecognisedCluster=${s.unrecognisedCluster}${events ? ` ${events}` : ''}${used}`
  );
}
