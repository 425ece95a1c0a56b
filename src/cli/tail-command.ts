import { open } from 'node:fs/promises';
import type { ClusterEvent } from '../core/types.js';
import { LiveSession } from '../pipeline/live.js';
import type { CliArgs } from './args.js';
import { failOnMatches } from './analyze-command.js';
import { formatEventLine } from './event-line.js';
import { readOptions } from './inputs.js';
import { resolveInputs } from '../io/inputs.js';
import { EvidenceIndex } from './evidence.js';
import { UsageError } from './args.js';

export async function runTail(args: CliArgs): Promise<number> {
  if (args.paths.length === 0) throw new UsageError('tail needs at least one file or directory to follow');
  const stdout = process.stdout;
  const mode = args.ndjson ? 'ndjson' : args.text ? 'text' : args.dashboard || stdout.isTTY ? 'dashboard' : 'ndjson';
  const evidence = new EvidenceIndex();
  let failed = false;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));

  const write = (ev: ClusterEvent): void => {
    evidence.add(ev);
    if (mode === 'ndjson') stdout.write(`${JSON.stringify(ev)}\n`);
    else if (mode === 'text') stdout.write(`${formatEventLine(ev)}\n`);
  };
  const { since: _since, until: _until, all: _all, ...read } = readOptions(args);
  const session = new LiveSession(
    args.paths,
    {
      ...read,
      fromStart: args.fromStart,
      initialTailBytes: args.fromStart ? undefined : await bytesForLastLines(args.paths, args.lines),
      poll: args.poll,
      partialMs: args.partialMs,
      slowMs: args.slowMs,
      flapCount: args.flapCount,
      flapWindowMs: args.flapWindowMs,
    },
    write,
  );
  if (args.failOn) {
    const failOn = args.failOn;
    session.subscribe(() => {
      if (!failed && failOnMatches(session.snapshot(), failOn)) {
        failed = true;
        finish(3);
      }
    });
  }
  const stop = (): void => finish(failed ? 3 : 0);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await session.start();
  for (const err of session.errors) process.stderr.write(`catalina-lens: ${err.message}\n`);

  let code: number;
  if (mode === 'dashboard') {
    const { runDashboard } = await import('../ui/run-dashboard.js');
    const dashboard = runDashboard(
      {
        getSnapshot: () => ({ snapshot: session.snapshot(), events: session.recent, lastUpdateMs: session.lastUpdateMs }),
        subscribe: (cb) => session.subscribe(cb),
      },
      { live: true, getEvidenceText: (ref) => evidence.text(ref) },
    ).then(() => 0);
    code = await Promise.race([dashboard, done]);
  } else {
    code = await done;
  }
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await session.close();
  return code;
}

/** Bytes from the end of the largest existing input that hold its last `lines` lines. */
async function bytesForLastLines(paths: string[], lines: number): Promise<number | undefined> {
  if (lines <= 0) return undefined;
  let most = 0;
  const inputs = await resolveInputs(paths).catch(() => []);
  for (const input of inputs) {
    if (input.path === '-' || input.path.endsWith('.gz')) continue;
    most = Math.max(most, await tailBytes(input.path, lines));
  }
  return most;
}

async function tailBytes(path: string, lines: number): Promise<number> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return 0;
  try {
    const { size } = await handle.stat();
    const block = Buffer.alloc(64 * 1024);
    let pos = size;
    let seen = 0;
    // Skip the file's final newline: it ends the last line rather than starting a new one.
    let skipFinal = true;
    while (pos > 0) {
      const len = Math.min(block.length, pos);
      pos -= len;
      await handle.read(block, 0, len, pos);
      for (let i = len - 1; i >= 0; i--) {
        if (block[i] !== 0x0a) continue;
        if (skipFinal && pos + i === size - 1) continue;
        if (++seen === lines) return size - (pos + i + 1);
      }
      skipFinal = false;
    }
    return size;
  } finally {
    await handle.close();
  }
}
