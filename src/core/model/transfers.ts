// Session state transfers: each DeltaManager request paired with its outcome on the same node and
// manager. Tomcat logs the request, then exactly one of received / timeout / no-manager on the
// same thread; a node that dies or restarts in between leaves the request's outcome unknown.

import type { ClusterEvent } from '../types.js';
import type { Transfer } from '../snapshot.js';
import { addressKey } from './addresses.js';
import { pushBounded } from './history.js';
import { evidenceOf } from './membership.js';

/** A transfer as the snapshot shows it, plus what the model tracks to explain its outcome. */
export interface TransferState extends Transfer {
  sentAt?: string;
  /** Provider's event count and run when the request was logged, and when the outcome was. */
  providerEventsAtRequest?: number;
  providerRunAtRequest?: number;
  providerEventsAtOutcome?: number;
  providerRunAtOutcome?: number;
  /** The provider had logged its stop between request and outcome. */
  providerStoppedAtOutcome?: boolean;
}

export interface TransferContext {
  resolve(address: string, timeMs: number | undefined, observer: string): string | undefined;
  providerState(name: string): { events: number; run?: number; stopped?: boolean } | undefined;
  allowManager(key: string): boolean;
  /** Transfers kept, the most recent. */
  maxTransfers: number;
}

export class TransferTracker {
  /** The most recent transfers (at most `maxTransfers`), in the order they were logged. */
  readonly transfers: TransferState[] = [];
  private readonly pending = new Map<string, TransferState>();
  /** Older transfers dropped by the bound. */
  droppedTransfers = 0;

  constructor(private readonly ctx: TransferContext) {}

  private add(t: TransferState): void {
    for (const old of pushBounded(this.transfers, t, this.ctx.maxTransfers)) {
      this.droppedTransfers++;
      // A dropped request's outcome has nothing left to update.
      const key = `${old.node}\u0000${old.manager}`;
      if (this.pending.get(key) === old) this.pending.delete(key);
    }
  }

  requested(ev: ClusterEvent): void {
    const manager = ev.manager ?? '';
    const key = `${ev.node}\u0000${manager}`;
    if (!this.ctx.allowManager(key)) return;
    this.pending.delete(key); // an earlier request with no outcome stays 'unknown'
    const member = ev.member ? addressKey(ev.member.host, ev.member.port) : undefined;
    const provider = member ? this.ctx.resolve(member, ev.timeMs, ev.node) : undefined;
    const ps = provider ? this.ctx.providerState(provider) : undefined;
    const t: TransferState = {
      node: ev.node,
      manager,
      member,
      provider,
      requestedAtMs: ev.timeMs,
      requestedAt: ev.time,
      outcome: 'unknown',
      timeoutSeconds: ev.timeoutSeconds,
      file: ev.file,
      line: ev.line,
      providerEventsAtRequest: ps?.events,
      providerRunAtRequest: ps?.run,
    };
    this.add(t);
    this.pending.set(key, t);
  }

  outcome(ev: ClusterEvent, outcome: 'received' | 'timeout' | 'no-manager'): void {
    const manager = ev.manager ?? '';
    const key = `${ev.node}\u0000${manager}`;
    let t = this.pending.get(key);
    this.pending.delete(key);
    if (!t) {
      // An outcome without its request (the log starts mid-transfer): keep it, request unknown.
      if (!this.ctx.allowManager(key)) return;
      t = { node: ev.node, manager, outcome, file: ev.file, line: ev.line };
      this.add(t);
    }
    t.outcome = outcome;
    if (typeof ev.durationMs === 'number') t.durationMs = ev.durationMs;
    else if (t.requestedAtMs !== undefined && ev.timeMs !== undefined) t.durationMs = ev.timeMs - t.requestedAtMs;
    if (typeof ev.sentAt === 'string') t.sentAt = ev.sentAt;
    t.outcomeEvidence = evidenceOf(ev);
    t.outcomeAtMs = ev.timeMs;
    t.outcomeAt = ev.time;
    if (t.provider) {
      const ps = this.ctx.providerState(t.provider);
      t.providerEventsAtOutcome = ps?.events;
      t.providerRunAtOutcome = ps?.run;
      t.providerStoppedAtOutcome = ps?.stopped;
    }
  }

  skipped(ev: ClusterEvent): void {
    const manager = ev.manager ?? '';
    if (!this.ctx.allowManager(`${ev.node}\u0000${manager}`)) return;
    this.add({
      node: ev.node,
      manager,
      requestedAtMs: ev.timeMs,
      requestedAt: ev.time,
      outcome: 'skipped',
      file: ev.file,
      line: ev.line,
      outcomeEvidence: evidenceOf(ev),
      outcomeAtMs: ev.timeMs,
      outcomeAt: ev.time,
    });
  }

  /** The node restarted: its pending requests will never see an outcome. */
  nodeRestarted(node: string): void {
    for (const [key, t] of this.pending) if (t.node === node) this.pending.delete(key);
  }

  toSnapshot(resolveLate: (address: string, timeMs: number | undefined, observer: string) => string | undefined): Transfer[] {
    return this.transfers.map((t) => {
      const provider = t.provider ?? (t.member ? resolveLate(t.member, t.requestedAtMs, t.node) : undefined);
      const out: Transfer = { node: t.node, manager: t.manager, outcome: t.outcome, file: t.file, line: t.line };
      if (t.member !== undefined) out.member = t.member;
      if (provider !== undefined) out.provider = provider;
      if (t.requestedAtMs !== undefined) {
        out.requestedAtMs = t.requestedAtMs;
        out.requestedAt = t.requestedAt;
      }
      if (t.durationMs !== undefined) out.durationMs = t.durationMs;
      if (t.timeoutSeconds !== undefined) out.timeoutSeconds = t.timeoutSeconds;
      if (t.outcomeEvidence !== undefined) out.outcomeEvidence = t.outcomeEvidence;
      if (t.outcomeAtMs !== undefined) {
        out.outcomeAtMs = t.outcomeAtMs;
        out.outcomeAt = t.outcomeAt;
      }
      return out;
    });
  }
}
