// `catalina-lens tail`: follows files and directories live. A terminal gets the dashboard;
// otherwise (or with --ndjson / --text) one line per event, written as each event is recognised.

import { once } from 'node:events';
import type { ClusterEvent } from '../core/types.js';
import { LiveSession } from '../pipeline/live.js';
import type { CliArgs } from './args.js';
import { UsageError } from './args.js';
import { failOnMatches } from './analyze-command.js';
import { EXIT } from './exit-codes.js';
import { formatEventLine } from './event-line.js';
import { inputErrorLine, readOptions } from './inputs.js';

/** `--fail-on` looks at the model at most this often (a snapshot derives every finding). */
const FAIL_ON_CHECK_MS = 100;
/** Evidence texts kept for the dashboard's finding details (the oldest are dropped). */
const MAX_EVIDENCE = 20_000;

export async function runTail(args: CliArgs): Promise<number> {
  if (args.paths.length === 0) throw new UsageError('tail needs at least one file or directory to follow');
  const stdout = process.stdout;
  const mode = args.ndjson ? 'ndjson' : args.text ? 'text' : args.dashboard || stdout.isTTY ? 'dashboard' : 'ndjson';
  const evidence = new Map<string, string>();
  let failed = false;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));

  let session: LiveSession | undefined;
  // Each event is written as soon as it is recognised, flushed per event: no event waits for a
  // later one. The events recognised in one go (one chunk of a file) leave in one write, at the
  // end of that synchronous step. When the reader falls behind, no further follower events are
  // taken until it catches up (the files are the buffer).
  let pending = '';
  let draining = false;
  const flush = (): void => {
    const text = pending;
    pending = '';
    if (stdout.write(text) || draining) return;
    draining = true;
    session?.pauseUntil(
      once(stdout, 'drain').finally(() => {
        draining = false;
      }),
    );
  };
  const print = (text: string): void => {
    if (pending === '') queueMicrotask(flush);
    pending += text;
  };
  let eventsSinceCheck = false;
  const onEvent = (ev: ClusterEvent): void => {
    eventsSinceCheck = true;
    if (mode === 'ndjson') print(`${JSON.stringify(ev)}\n`);
    else if (mode === 'text') print(`${formatEventLine(ev)}\n`);
    else {
      evidence.set(`${ev.file}:${ev.line}`, ev.message);
      if (evidence.size > MAX_EVIDENCE) evidence.delete(evidence.keys().next().value!);
    }
  };
  const { since: _since, until: _until, all: _all, ...read } = readOptions(args);
  session = new LiveSession(
    args.paths,
    {
      ...read,
      fromStart: args.fromStart,
      initialTailLines: args.fromStart ? undefined : args.lines,
      poll: args.poll,
      partialMs: args.partialMs,
      slowMs: args.slowMs,
      flapCount: args.flapCount,
      flapWindowMs: args.flapWindowMs,
    },
    onEvent,
  );
  const live = session;

  // --fail-on: exits 3 at the first matching finding. Findings only change with events, and a
  // snapshot is not free, so the model is looked at after events, at most every FAIL_ON_CHECK_MS.
  let checkTimer: NodeJS.Timeout | undefined;
  let lastCheck = 0;
  const check = (): void => {
    checkTimer = undefined;
    lastCheck = Date.now();
    eventsSinceCheck = false;
    if (!failed && args.failOn && failOnMatches(live.snapshot(), args.failOn)) {
      failed = true;
      finish(EXIT.failOn);
    }
  };
  // Errors the follower reports while following (an unreadable file): said on stderr, following goes on.
  let errorsShown = 0;
  const showErrors = (): void => {
    // live.errors keeps the most recent ones: errors older than those were already shown or are gone.
    for (errorsShown = Math.max(errorsShown, live.errorCount - live.errors.length); errorsShown < live.errorCount; errorsShown++) {
      process.stderr.write(`${inputErrorLine(live.errors[errorsShown - (live.errorCount - live.errors.length)]!)}\n`);
    }
  };
  const unsubscribe = live.subscribe(() => {
    if (mode !== 'dashboard') showErrors();
    if (!args.failOn || failed || !eventsSinceCheck || checkTimer) return;
    const wait = lastCheck + FAIL_ON_CHECK_MS - Date.now();
    if (wait <= 0) check();
    else checkTimer = setTimeout(check, wait);
  });

  const stop = (): void => finish(failed ? EXIT.failOn : EXIT.ok);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const stopKeys = mode === 'dashboard' ? () => {} : listenForQuit(stop);

  let code: number;
  try {
    await live.start();
    if (mode !== 'dashboard') showErrors();
    if (mode === 'dashboard') {
      const { runDashboard } = await import('../ui/run-dashboard.js');
      const abort = new AbortController();
      const dashboard = runDashboard(
        {
          getSnapshot: () => ({ snapshot: live.snapshot(), events: live.recent, lastUpdateMs: live.lastUpdateMs }),
          subscribe: (cb) => live.subscribe(cb),
        },
        { live: true, getEvidenceText: (ref) => evidence.get(ref), signal: abort.signal },
      ).then(() => EXIT.ok);
      code = await Promise.race([dashboard, done]);
      // `done` won (--fail-on, a signal): take the dashboard down before printing anything.
      abort.abort();
      await dashboard;
      if (failed) code = EXIT.failOn;
    } else {
      code = await done;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    stopKeys();
    clearTimeout(checkTimer);
    unsubscribe();
    await live.close();
  }
  showErrors();
  return code;
}

/** Off the dashboard, with a terminal on stdin: q (or Ctrl-C, Ctrl-D) stops following. */
function listenForQuit(stop: () => void): () => void {
  const stdin = process.stdin;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return () => {};
  const onData = (data: Buffer): void => {
    const keys = data.toString('latin1');
    if (keys.includes('q') || keys.includes('Q') || keys.includes('\u0003') || keys.includes('\u0004')) stop();
  };
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.setRawMode(false);
    stdin.pause();
  };
}
