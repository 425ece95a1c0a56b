// Membership views: for each observer node and member address, the intervals in which the observer
// had the member in its view, how each one ended, and the failure detector's path to that end.

import type { ClusterEvent, Member } from '../types.js';
import type { MembershipInterval, MembershipRow } from '../snapshot.js';
import { addressKey } from './addresses.js';
import { pushBounded } from './history.js';
import { isoAt } from './time.js';

/** Tribes' SHUTDOWN_PAYLOAD: a member that announced its own graceful stop. */
const SHUTDOWN_COMMAND = 'BABY-ALEX';
const MAX_PATH = 8;

export interface IntervalState {
  fromMs?: number;
  from?: string;
  toMs?: number;
  to?: string;
  endReason: 'disappeared' | 'observer-stopped' | 'open';
  evidence: string[];
  detection?: string;
  /** The input node the address belonged to when the interval opened. */
  node?: string;
  /** That node's run index when the interval opened. */
  memberRun?: number;
  uniqueId?: string;
  suspectedMs?: number;
  suspected?: string;
  lastSignMs?: number;
  lastSign?: string;
  detectionMs?: number;
  gracefulLeave?: boolean;
}

export interface RowState {
  observer: string;
  address: string;
  host: string;
  port: number;
  intervals: IntervalState[];
  open?: IntervalState;
  /** Failure-detector records since the last add (verify, verdicts, send failures). */
  path: string[];
  firstSuspectMs?: number;
  firstSuspect?: string;
  lastLoss?: { ms?: number; node?: string; memberRun?: number; uniqueId?: string };
  /** Re-adds after a loss, when the member did not restart in between (the most recent ones). */
  flapTimes: { ms: number; node?: string }[];
  /** Older flaps dropped by the history bound. */
  droppedFlaps: number;
  /** Losses followed by a re-add after the member restarted (not flapping). */
  rejoins: number;
  droppedIntervals: number;
  /** How many times the row was mentioned (added, removed, verified...). */
  mentions: number;
  firstEvidence: string;
}

/** What the membership tracker needs from the rest of the model. */
export interface MembershipContext {
  /** The node owning `address` at `timeMs`, seen from `observer`. */
  resolve(address: string, timeMs: number | undefined, observer: string): string | undefined;
  /** The node's current run index and, when it has logged anything, its last event. */
  nodeState(name: string): { run?: number; lastMs?: number; last?: string; runEndMs?: (run: number) => number | undefined; runEnd?: (run: number) => string | undefined } | undefined;
  flapWindowMs: number;
  /** May another row be created (the member bound)? */
  allowRow(): boolean;
  /** Intervals and flaps kept per row, the most recent. */
  maxHistory: number;
}

export function evidenceOf(ev: ClusterEvent): string {
  return `${ev.file}:${ev.line}`;
}

export class MembershipTracker {
  readonly rows = new Map<string, RowState>();
  private readonly openByObserver = new Map<string, Set<RowState>>();
  droppedRows = 0;
  /** Over all rows: intervals and flaps dropped by the history bound. */
  droppedIntervals = 0;
  droppedFlaps = 0;
  /** The latest time a dropped interval covered: views before it are incomplete. */
  droppedToMs?: number;

  constructor(private readonly ctx: MembershipContext) {}

  private row(observer: string, member: Member, ev: ClusterEvent): RowState | undefined {
    const address = addressKey(member.host, member.port);
    const key = `${observer}\u0000${address}`;
    let row = this.rows.get(key);
    if (!row) {
      if (!this.ctx.allowRow()) {
        this.droppedRows++;
        return undefined;
      }
      row = {
        observer,
        address,
        host: address.slice(0, address.lastIndexOf(':')),
        port: member.port,
        intervals: [],
        path: [],
        flapTimes: [],
        droppedFlaps: 0,
        rejoins: 0,
        droppedIntervals: 0,
        mentions: 0,
        firstEvidence: evidenceOf(ev),
      };
      this.rows.set(key, row);
    }
    row.mentions++;
    return row;
  }

  /** Peek without creating. */
  find(observer: string, address: string): RowState | undefined {
    return this.rows.get(`${observer}\u0000${address}`);
  }

  added(ev: ClusterEvent, member: Member): void {
    const row = this.row(ev.node, member, ev);
    if (!row || row.open) return; // already in the view: a repeated notice
    const node = this.ctx.resolve(row.address, ev.timeMs, ev.node);
    const st = node ? this.ctx.nodeState(node) : undefined;
    const iv: IntervalState = {
      fromMs: ev.timeMs,
      from: ev.time,
      endReason: 'open',
      evidence: [evidenceOf(ev)],
      node,
      memberRun: st?.run,
      uniqueId: member.uniqueId,
    };
    const loss = row.lastLoss;
    if (loss && ev.timeMs !== undefined && loss.ms !== undefined && loss.node === node) {
      const restarted =
        (loss.memberRun !== undefined && iv.memberRun !== undefined && loss.memberRun !== iv.memberRun) ||
        (loss.uniqueId !== undefined && iv.uniqueId !== undefined && loss.uniqueId !== iv.uniqueId);
      if (restarted) row.rejoins++;
      else if (ev.timeMs - loss.ms <= this.ctx.flapWindowMs) {
        const gone = pushBounded(row.flapTimes, { ms: ev.timeMs, node }, this.ctx.maxHistory).length;
        row.droppedFlaps += gone;
        this.droppedFlaps += gone;
      }
    }
    row.lastLoss = undefined;
    row.path = [];
    row.firstSuspectMs = undefined;
    row.firstSuspect = undefined;
    this.push(row, iv);
    row.open = iv;
    let set = this.openByObserver.get(ev.node);
    if (!set) this.openByObserver.set(ev.node, (set = new Set()));
    set.add(row);
  }

  disappeared(ev: ClusterEvent, member: Member, observerStopping: boolean): void {
    const row = this.row(ev.node, member, ev);
    if (!row) return;
    let iv = row.open;
    if (!iv) {
      // A removal without a known add: the log starts mid-life. Keep it visible, from unknown.
      if (observerStopping || row.intervals.length > 0) return;
      const node = this.ctx.resolve(row.address, ev.timeMs, ev.node);
      iv = { endReason: 'open', evidence: [], node, uniqueId: member.uniqueId };
      this.push(row, iv);
    }
    const graceful = member.command === SHUTDOWN_COMMAND;
    const steps = [...row.path];
    if (graceful) steps.push('shutdown notice');
    else if (steps.length === 0) steps.push('expired, no failure-detector record');
    iv.detection = steps.join(' → ');
    iv.gracefulLeave = graceful;
    iv.suspectedMs = row.firstSuspectMs;
    iv.suspected = row.firstSuspect;
    // Last sign of life: the member's own last event of the run we saw it in (when it is an input).
    if (iv.node) {
      const st = this.ctx.nodeState(iv.node);
      if (st) {
        const endMs = iv.memberRun !== undefined ? st.runEndMs?.(iv.memberRun) : st.lastMs;
        const end = iv.memberRun !== undefined ? st.runEnd?.(iv.memberRun) : st.last;
        if (endMs !== undefined && (ev.timeMs === undefined || endMs <= ev.timeMs)) {
          iv.lastSignMs = endMs;
          iv.lastSign = end ?? isoAt(endMs);
        }
      }
    }
    this.close(row, iv, ev, 'disappeared');
    if (iv.lastSignMs !== undefined && iv.toMs !== undefined) iv.detectionMs = iv.toMs - iv.lastSignMs;
    row.lastLoss = { ms: ev.timeMs, node: iv.node, memberRun: iv.memberRun, uniqueId: iv.uniqueId ?? member.uniqueId };
  }

  /** A failure-detector step or a send failure about `member`, logged by `ev.node`. */
  step(ev: ClusterEvent, member: Member, step: string, clears = false): void {
    const row = this.row(ev.node, member, ev);
    if (!row) return;
    if (clears) {
      row.path = [];
      return;
    }
    if (row.path.length < MAX_PATH) row.path.push(step);
    if (row.firstSuspectMs === undefined && ev.timeMs !== undefined) {
      row.firstSuspectMs = ev.timeMs;
      row.firstSuspect = `${step} at ${ev.time ?? isoAt(ev.timeMs)} (${evidenceOf(ev)})`;
    }
  }

  /** The observer stopped (or its run ended): everything in its view ends there. */
  observerStopped(observer: string, timeMs: number | undefined, time: string | undefined, evidence?: string): void {
    const set = this.openByObserver.get(observer);
    if (!set) return;
    for (const row of set) {
      const iv = row.open;
      if (!iv) continue;
      iv.toMs = timeMs;
      iv.to = time;
      iv.endReason = 'observer-stopped';
      if (evidence) iv.evidence.push(evidence);
      row.open = undefined;
      row.lastLoss = undefined;
      row.path = [];
    }
    set.clear();
  }

  private close(row: RowState, iv: IntervalState, ev: ClusterEvent, reason: 'disappeared'): void {
    iv.toMs = ev.timeMs;
    iv.to = ev.time;
    iv.endReason = reason;
    iv.evidence.push(evidenceOf(ev));
    row.open = undefined;
    row.path = [];
    row.firstSuspectMs = undefined;
    row.firstSuspect = undefined;
    this.openByObserver.get(row.observer)?.delete(row);
  }

  private push(row: RowState, iv: IntervalState): void {
    const gone = pushBounded(row.intervals, iv, this.ctx.maxHistory);
    row.droppedIntervals += gone.length;
    this.droppedIntervals += gone.length;
    for (const old of gone) {
      // An interval still open when dropped covered the view up to now.
      const ms = old.toMs ?? old.fromMs;
      if (ms !== undefined && (this.droppedToMs === undefined || ms > this.droppedToMs)) this.droppedToMs = ms;
    }
  }

  /** Intervals held, over all rows. */
  intervalCount(): number {
    let n = 0;
    for (const row of this.rows.values()) n += row.intervals.length;
    return n;
  }

  /** Flaps within any window of `windowMs`: the largest count. */
  static maxFlapsInWindow(times: number[], windowMs: number): { count: number; atMs?: number } {
    let best = 0;
    let atMs: number | undefined;
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
      while (times[hi] - times[lo] > windowMs) lo++;
      if (hi - lo + 1 > best) {
        best = hi - lo + 1;
        atMs = times[hi];
      }
    }
    return { count: best, atMs };
  }

  /**
   * Rows as the snapshot shows them: one per observer, address and resolved node (an address can
   * belong to different nodes over time). `resolveLate` retries unresolved addresses with every claim.
   */
  toSnapshot(resolveLate: (address: string, timeMs: number | undefined, observer: string) => string | undefined): MembershipRow[] {
    const out: MembershipRow[] = [];
    for (const row of this.rows.values()) {
      const groups = new Map<string, IntervalState[]>();
      for (const iv of row.intervals) {
        const node = iv.node ?? resolveLate(row.address, iv.fromMs ?? iv.toMs, row.observer) ?? '';
        let g = groups.get(node);
        if (!g) groups.set(node, (g = []));
        g.push(iv);
      }
      if (groups.size === 0) groups.set(resolveLate(row.address, undefined, row.observer) ?? '', []);
      for (const [node, ivs] of groups) {
        const flaps = row.flapTimes.filter((f) => (f.node ?? '') === node).length;
        out.push({
          observer: row.observer,
          member: node || row.address,
          memberAddress: row.address,
          resolved: node !== '',
          intervals: ivs.map(toInterval),
          flaps,
          ...(row.rejoins ? { rejoins: row.rejoins } : {}),
          ...(row.droppedIntervals ? { droppedIntervals: row.droppedIntervals } : {}),
        } as MembershipRow);
      }
    }
    out.sort((a, b) => (a.observer < b.observer ? -1 : a.observer > b.observer ? 1 : a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
    return out;
  }
}

function toInterval(iv: IntervalState): MembershipInterval {
  const out: MembershipInterval = { endReason: iv.endReason, evidence: [...iv.evidence] };
  if (iv.fromMs !== undefined) {
    out.fromMs = iv.fromMs;
    out.from = iv.from ?? isoAt(iv.fromMs);
  }
  if (iv.toMs !== undefined) {
    out.toMs = iv.toMs;
    out.to = iv.to ?? isoAt(iv.toMs);
  }
  if (iv.detection) out.detection = iv.detection;
  if (iv.detectionMs !== undefined) out.detectionMs = iv.detectionMs;
  if (iv.lastSignMs !== undefined) {
    out.lastSignOfLifeMs = iv.lastSignMs;
    out.lastSignOfLife = iv.lastSign;
  }
  if (iv.suspected) out.suspected = iv.suspected;
  return out;
}
