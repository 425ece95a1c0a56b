// A node's life split into runs (JVM lifetimes). catalina.sh appends to catalina.out, so one file
// can hold several runs; a SIGKILLed run just stops, and the next one starts with a new banner.

import type { ClusterEvent } from '../types.js';
import type { NodeRun } from '../snapshot.js';
import { pushBounded } from './history.js';
import { isoAt, offsetOf } from './time.js';

/**
 * Start-up phases in the order a JVM logs them. A phase seen a second time within one run means a
 * new JVM (or an embedded restart without a banner, e.g. Spring Boot devtools); so does any start
 * phase after the run logged its stop.
 */
const START_PHASE: Record<string, number> = {
  'server-version': 0,
  'cluster-starting': 1,
  'receiver-bound': 2,
  'server-started': 3,
};

export interface RunState {
  index: number;
  startMs?: number;
  start?: string;
  endMs?: number;
  end?: string;
  stopped: boolean;
  /** The run was replaced by a new one without a logged stop. */
  restarted: boolean;
  /** Highest start phase seen. */
  phase: number;
  file: string;
  line: number;
  /** When the stop was logged. */
  stopMs?: number;
  /** Every manager in this run skipped state transfer ("No members active"), and none requested. */
  skipped: number;
  requested: number;
  /** Registered a manager (a clustered web application started). */
  managers: number;
}

export type RunChange = 'none' | 'first' | 'new';

export class RunTracker {
  /** The most recent runs (at most `bound`), oldest first; `index` counts every run ever opened. */
  readonly runs: RunState[] = [];
  /** Older runs dropped by the bound. */
  dropped = 0;
  /** The latest end time among the dropped runs. */
  droppedToMs?: number;

  constructor(private readonly bound = Number.POSITIVE_INFINITY) {}

  /** The run with this index, unless it was dropped. */
  get(index: number): RunState | undefined {
    return index >= this.dropped ? this.runs[index - this.dropped] : undefined;
  }

  get current(): RunState | undefined {
    return this.runs[this.runs.length - 1];
  }

  /** Note an event of this node; returns whether it opened a run (and so ended the previous one). */
  observe(ev: ClusterEvent): RunChange {
    const phase = START_PHASE[ev.type];
    const cur = this.current;
    let change: RunChange = 'none';
    if (!cur) {
      this.open(ev);
      change = 'first';
    } else if (phase !== undefined && (cur.stopped || phase <= cur.phase)) {
      if (!cur.stopped) cur.restarted = true;
      this.open(ev);
      change = 'new';
    }
    const run = this.current!;
    if (phase !== undefined && phase > run.phase) run.phase = phase;
    if (ev.timeMs !== undefined) {
      if (run.startMs === undefined) {
        run.startMs = ev.timeMs;
        run.start = ev.time ?? isoAt(ev.timeMs, offsetOf(ev.time));
      }
      if (run.endMs === undefined || ev.timeMs >= run.endMs) {
        run.endMs = ev.timeMs;
        run.end = ev.time ?? isoAt(ev.timeMs);
      }
    }
    if (ev.type === 'server-stopping' && !run.stopped) {
      run.stopped = true;
      run.stopMs = ev.timeMs;
    }
    if (ev.type === 'state-transfer-skipped') run.skipped++;
    if (ev.type === 'state-transfer-requested') run.requested++;
    if (ev.type === 'manager-registered') run.managers++;
    return change;
  }

  private open(ev: ClusterEvent): void {
    const gone = pushBounded(this.runs, {
      index: this.dropped + this.runs.length,
      stopped: false,
      restarted: false,
      phase: -1,
      file: ev.file,
      line: ev.line,
      skipped: 0,
      requested: 0,
      managers: 0,
    }, this.bound);
    this.dropped += gone.length;
    for (const r of gone) if (r.endMs !== undefined && (this.droppedToMs === undefined || r.endMs > this.droppedToMs)) this.droppedToMs = r.endMs;
  }

  /** The run that covers `timeMs` (from its first to its last event), if any. */
  runAt(timeMs: number): RunState | undefined {
    for (const r of this.runs) {
      if (r.startMs !== undefined && r.endMs !== undefined && r.startMs <= timeMs && timeMs <= r.endMs) return r;
    }
    return undefined;
  }

  toSnapshot(): NodeRun[] {
    return this.runs.map((r) => ({
      startMs: r.startMs,
      start: r.start,
      endMs: r.endMs,
      end: r.end,
      endReason: r.stopped ? 'stopped' : r.restarted ? 'restarted' : 'log-ended',
      file: r.file,
      line: r.line,
    }));
  }
}
