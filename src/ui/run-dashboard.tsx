// The dashboard's entry point. The CLI loads this module with a dynamic import, so ink and react
// are only loaded for the dashboard commands.

import { render } from 'ink';
import { App } from './app.js';
import type { DashboardSource, EvidenceLookup, TimeFormatter } from './types.js';

export type { DashboardData, DashboardSource, EvidenceLookup, TimeFormatter } from './types.js';

export interface RunDashboardOptions {
  /** Following live logs: shows the live marker and the last update time. */
  live: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Log text for a `file:line` evidence reference. */
  getEvidenceText?: EvidenceLookup;
  /** Clock for displayed times (default: the zone of the snapshot's ISO times). */
  formatTime?: TimeFormatter;
  /** Events kept for the events pane. Default 1000. */
  maxEvents?: number;
  /** Aborting closes the dashboard (e.g. the follower failed). */
  signal?: AbortSignal;
}

/**
 * Renders the dashboard until the user quits (q, Ctrl-C) or `signal` aborts, then cleans up the
 * terminal and resolves. Rejects if rendering failed.
 */
export async function runDashboard(source: DashboardSource, opts: RunDashboardOptions): Promise<void> {
  const instance = render(
    <App source={source} live={opts.live} getEvidenceText={opts.getEvidenceText} formatTime={opts.formatTime} maxEvents={opts.maxEvents} />,
    {
      stdin: opts.stdin ?? process.stdin,
      stdout: opts.stdout ?? process.stdout,
      stderr: opts.stderr ?? process.stderr,
      maxFps: 12,
      incrementalRendering: false,
      patchConsole: false,
      exitOnCtrlC: true,
    },
  );
  const onAbort = (): void => instance.unmount();
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await instance.waitUntilExit();
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    instance.cleanup();
  }
}
