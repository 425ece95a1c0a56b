// The cluster model: a reducer over the merged, time-ordered events of all nodes. `apply` keeps
// only what the views need; `snapshot` derives everything else (findings, statistics) on demand.

import type { ClusterEvent, InputStats, Member } from '../types.js';
import type { ClusterSnapshot, Counts, NodeInfo } from '../snapshot.js';
import { AddressBook, addressKey, normaliseHost } from './addresses.js';
import { deriveFindings, type FailureRecord, type SendFailureRecord, type BindRecord } from './findings.js';
import { summarizeLatency } from './latency.js';
import { evidenceOf, MembershipTracker } from './membership.js';
import { newNode, nodeInfo, type NodeState } from './nodes.js';
import { resolveOptions, type ModelOptions, type ResolvedOptions } from './options.js';
import { isoAt } from './time.js';
import { TransferTracker } from './transfers.js';

export type { ModelOptions } from './options.js';

const MAX_EVENT_TYPES = 1000;
const MAX_FAILURES_PER_NODE = 1000;

export class ClusterModel {
  private readonly opts: ResolvedOptions;
  private readonly nodes = new Map<string, NodeState>();
  private readonly book = new AddressBook();
  private readonly membership: MembershipTracker;
  private readonly transfers: TransferTracker;
  private readonly inputs = new Map<string, InputStats>();
  private readonly eventCounts = new Map<string, number>();
  private readonly managers = new Set<string>();
  private readonly sendFailures = new Map<string, SendFailureRecord>();
  private readonly failures: FailureRecord[] = [];
  private readonly binds: BindRecord[] = [];
  private readonly notes = new Set<string>();
  private fromMs?: number;
  private from?: string;
  private toMs?: number;
  private to?: string;
  private droppedEventTypes = 0;
  private droppedNodes = 0;
  private droppedFailures = 0;
  private rejected = 0;
  private untimed = 0;

  constructor(opts: ModelOptions = {}) {
    this.opts = resolveOptions(opts);
    for (const n of this.opts.nodes) this.nodes.set(n.name, newNode(n.name, true, n.address));
    const self = this;
    this.membership = new MembershipTracker({
      resolve: (a, t, o) => this.book.resolve(a, t, o),
      nodeState: (name) => {
        const n = this.nodes.get(name);
        if (!n) return undefined;
        return {
          run: n.runs.current?.index,
          lastMs: n.lastEventMs,
          last: n.lastEvent,
          runEndMs: (i: number) => n.runs.runs[i]?.endMs,
          runEnd: (i: number) => n.runs.runs[i]?.end,
        };
      },
      flapWindowMs: this.opts.flapWindowMs,
      allowRow: () => self.membership.rows.size < self.opts.maxMembers || self.noteBound('membership rows'),
    });
    this.transfers = new TransferTracker({
      resolve: (a, t, o) => this.book.resolve(a, t, o),
      providerState: (name) => {
        const n = this.nodes.get(name);
        return n ? { events: n.eventCount, run: n.runs.current?.index, stopped: n.runs.current?.stopped } : undefined;
      },
      allowManager: (key) => {
        if (this.managers.has(key)) return true;
        if (this.managers.size >= this.opts.maxMembers) return this.noteBound('managers');
        this.managers.add(key);
        return true;
      },
      allowTransfer: () => self.transfers.transfers.length < self.opts.maxTransfers || self.noteBound('transfers', self.opts.maxTransfers),
    });
  }

  /** Records that a bound was hit; always returns false (the caller drops the item). */
  private noteBound(what: string, bound = this.opts.maxMembers): false {
    this.notes.add(`More than ${bound} ${what}: further ones were not tracked (raise maxMembers/maxTransfers if the logs are genuine).`);
    return false;
  }

  private node(name: string): NodeState | undefined {
    let n = this.nodes.get(name);
    if (!n) {
      if (this.nodes.size >= this.opts.maxMembers) {
        this.droppedNodes++;
        this.noteBound('nodes');
        return undefined;
      }
      this.nodes.set(name, (n = newNode(name, false)));
    }
    return n;
  }

  updateInput(stats: InputStats): void {
    if (!stats || typeof stats.file !== 'string') return;
    this.inputs.set(stats.file, { ...stats, events: { ...stats.events } });
    if (typeof stats.node === 'string' && stats.used !== false) {
      const n = this.node(stats.node);
      if (n && !n.files.includes(stats.file)) n.files.push(stats.file);
    }
  }

  apply(ev: ClusterEvent): void {
    if (!ev || typeof ev.type !== 'string' || typeof ev.node !== 'string') {
      this.rejected++;
      return;
    }
    const n = this.node(ev.node);
    if (!n) return;
    if (this.eventCounts.has(ev.type) || this.eventCounts.size < MAX_EVENT_TYPES) this.eventCounts.set(ev.type, (this.eventCounts.get(ev.type) ?? 0) + 1);
    else this.droppedEventTypes++;
    if (typeof ev.file === 'string' && !n.files.includes(ev.file) && n.files.length < 1000) n.files.push(ev.file);
    const t = typeof ev.timeMs === 'number' && Number.isFinite(ev.timeMs) ? ev.timeMs : undefined;
    if (t !== undefined) {
      if (this.fromMs === undefined || t < this.fromMs) {
        this.fromMs = t;
        this.from = ev.time ?? isoAt(t);
      }
      if (this.toMs === undefined || t >= this.toMs) {
        this.toMs = t;
        this.to = ev.time ?? isoAt(t);
      }
    }
    if (t === undefined) this.untimed++;
    const e: ClusterEvent = t === ev.timeMs ? ev : { ...ev, timeMs: t };

    const before = n.runs.current;
    const change = n.runs.observe(e);
    if (change === 'new' && before) {
      // A new JVM without a logged stop: the old one's view ended with its last record.
      this.membership.observerStopped(n.name, before.endMs, before.end);
      this.transfers.nodeRestarted(n.name);
    }
    n.eventCount++;
    if (t !== undefined) {
      n.lastEventMs = t;
      n.lastEvent = e.time ?? isoAt(t);
    }
    n.lastEvidence = evidenceOf(e);
    const run = n.runs.current!;
    const member = validMember(e.member);

    switch (e.type) {
      case 'receiver-bound': {
        if (typeof e.address !== 'string' || typeof e.port !== 'number') break;
        const address = addressKey(e.address, e.port);
        if (!this.book.has(address) && this.book.size() >= this.opts.maxMembers) {
          this.noteBound('addresses');
          break;
        }
        this.book.claim(address, n.name, t);
        n.address = address;
        n.addressSource = 'receiver-bound';
        if (!n.boundAddresses.includes(address) && n.boundAddresses.length < 100) n.boundAddresses.push(address);
        this.binds.push({ node: n.name, run: run.index, address, host: normaliseHost(e.address), timeMs: t, time: e.time, evidence: evidenceOf(e) });
        if (this.binds.length > MAX_FAILURES_PER_NODE * 10) this.binds.shift();
        break;
      }
      case 'member-added':
        if (member && !run.stopped) this.membership.added(e, member);
        break;
      case 'member-disappeared':
        if (member) this.membership.disappeared(e, member, run.stopped);
        break;
      case 'member-verify':
        if (member) this.membership.step(e, member, 'verify');
        break;
      case 'member-verified':
        if (member) this.membership.step(e, member, `verified ${e.verdict ?? '?'}`, e.verdict === 'alive');
        break;
      case 'member-suspect':
        if (member) this.membership.step(e, member, `suspect ${e.verdict ?? '?'}`, e.verdict === 'alive');
        break;
      case 'send-failed': {
        const address = member ? addressKey(member.host, member.port) : '';
        if (member) this.membership.step(e, member, 'send failed');
        const key = `${n.name}\u0000${address}`;
        let rec = this.sendFailures.get(key);
        if (!rec) {
          if (this.sendFailures.size >= this.opts.maxMembers) {
            this.noteBound('send-failure targets');
            break;
          }
          rec = { node: n.name, member: address || undefined, count: 0, firstMs: t, first: e.time, evidence: [] };
          this.sendFailures.set(key, rec);
        }
        rec.count++;
        rec.lastMs = t;
        if (rec.evidence.length < 5) rec.evidence.push(evidenceOf(e));
        break;
      }
      case 'state-transfer-requested':
        this.transfers.requested(e);
        break;
      case 'state-transfer-received':
        this.transfers.outcome(e, 'received');
        break;
      case 'state-transfer-timeout':
        this.transfers.outcome(e, 'timeout');
        break;
      case 'state-transfer-no-manager':
        this.transfers.outcome(e, 'no-manager');
        break;
      case 'state-transfer-skipped':
        this.transfers.skipped(e);
        break;
      case 'server-stopping':
        this.membership.observerStopped(n.name, t, e.time, evidenceOf(e));
        break;
      case 'cluster-start-failed':
      case 'multicast-join-failed':
        if (this.failures.length < MAX_FAILURES_PER_NODE * 10) {
          this.failures.push({ kind: e.type, node: n.name, timeMs: t, time: e.time, evidence: evidenceOf(e), run: run.index, message: e.message });
        } else this.droppedFailures++;
        break;
      default:
        break;
    }
  }

  snapshot(): ClusterSnapshot {
    const inferred = this.inferAddresses();
    const lateResolve = (address: string, timeMs: number | undefined, observer: string): string | undefined =>
      this.book.resolve(address, timeMs, observer, true) ?? inferred.byAddress.get(address);
    const nodes: NodeInfo[] = [];
    for (const n of this.nodes.values()) {
      const info = nodeInfo(n, inferred.byNode.get(n.name));
      if (n.boundAddresses.length > 1) info.addresses = [...n.boundAddresses];
      nodes.push(info);
    }
    const membership = this.membership.toSnapshot(lateResolve);
    const transfers = this.transfers.toSnapshot(lateResolve);
    const latency = summarizeLatency(transfers);
    const inputs = [...this.inputs.values()].map((s) => ({ ...s, events: { ...s.events } }));
    const findings = deriveFindings({
      opts: this.opts,
      nodes,
      nodeStates: this.nodes,
      membership,
      rows: this.membership.rows,
      transfers,
      transferStates: this.transfers.transfers,
      sendFailures: [...this.sendFailures.values()],
      failures: this.failures,
      binds: this.binds,
      lateResolve,
      spanToMs: this.toMs,
    });
    const notes = [...this.notes];
    if (this.membership.droppedRows) notes.push(`${this.membership.droppedRows} member records were not tracked (bound of ${this.opts.maxMembers} rows).`);
    if (this.transfers.droppedTransfers) notes.push(`${this.transfers.droppedTransfers} transfers were not stored (bound of ${this.opts.maxTransfers}).`);
    if (this.droppedEventTypes) notes.push(`${this.droppedEventTypes} events of more than ${MAX_EVENT_TYPES} distinct types were not counted.`);
    if (this.droppedNodes) notes.push(`${this.droppedNodes} events came from nodes beyond the bound of ${this.opts.maxMembers} and were ignored.`);
    if (this.droppedFailures) notes.push(`${this.droppedFailures} start failures were not kept.`);
    if (this.untimed) notes.push(`${this.untimed} events carry no time (a log format without timestamps, or a timestamp that is not a real date such as 30-Feb): they keep file order, so their order across nodes, the runs' times and detection delays cannot be known.`);
    if (this.rejected) notes.push(`${this.rejected} malformed events were ignored.`);
    for (const [name, addr] of inferred.byNode) notes.push(`${name}: address ${addr} inferred (${inferred.why.get(name) ?? ''}).`);
    return {
      version: this.opts.version,
      span: { fromMs: this.fromMs, toMs: this.toMs, from: this.from, to: this.to },
      live: this.opts.live,
      inputs,
      nodes,
      membership,
      transfers,
      latency,
      findings,
      counts: this.counts(inputs),
      notes,
    };
  }

  private counts(inputs: InputStats[]): Counts {
    const c: Counts = { inputs: inputs.length, bytes: 0, lines: 0, records: 0, recordLines: 0, unparsed: 0, invalidUtf8: 0, truncatedLines: 0, unrecognisedCluster: 0, events: {} };
    for (const s of inputs) {
      c.bytes += s.bytes || 0;
      c.lines += s.lines || 0;
      c.records += s.records || 0;
      c.recordLines += s.recordLines || 0;
      c.unparsed += s.unparsed || 0;
      c.invalidUtf8 += s.invalidUtf8 || 0;
      c.truncatedLines += s.truncatedLines || 0;
      c.unrecognisedCluster += s.unrecognisedCluster || 0;
    }
    // Events as the model received them (after time-window filtering and copy selection).
    for (const k of [...this.eventCounts.keys()].sort()) c.events[k] = this.eventCounts.get(k)!;
    return c;
  }

  /**
   * Addresses for nodes that never logged `receiver-bound` and were given none. Heuristic: the
   * addresses other inputs saw as members that no node claims; if exactly one such address was seen
   * while exactly one address-less node was running, it is that node's. (A node's state-transfer
   * request names its *provider*, never itself, so requests are not used as evidence of identity.)
   */
  private inferAddresses(): { byNode: Map<string, string>; byAddress: Map<string, string>; why: Map<string, string> } {
    const byNode = new Map<string, string>();
    const byAddress = new Map<string, string>();
    const why = new Map<string, string>();
    const missing = [...this.nodes.values()].filter((n) => !n.address && n.eventCount > 0);
    if (missing.length !== 1) return { byNode, byAddress, why };
    const target = missing[0];
    const candidates = new Map<string, Set<string>>();
    for (const row of this.membership.rows.values()) {
      if (row.observer === target.name || this.book.has(row.address)) continue;
      const seenWhileRunning = row.intervals.some((iv) => {
        const at = iv.fromMs ?? iv.toMs;
        return at === undefined || target.runs.runAt(at) !== undefined || isNearRun(target, at);
      });
      if (!seenWhileRunning) continue;
      let s = candidates.get(row.address);
      if (!s) candidates.set(row.address, (s = new Set()));
      s.add(row.observer);
    }
    if (candidates.size === 1) {
      const [address, observers] = [...candidates][0];
      byNode.set(target.name, address);
      byAddress.set(address, target.name);
      why.set(target.name, `the only unclaimed member address, seen by ${[...observers].sort().join(', ')} while ${target.name} was running`);
    }
    return { byNode, byAddress, why };
  }
}

function isNearRun(n: NodeState, at: number): boolean {
  // A node is added by its peers a moment before or after its own first/last record.
  return n.runs.runs.some((r) => r.startMs !== undefined && r.endMs !== undefined && at >= r.startMs - 60_000 && at <= r.endMs + 60_000);
}

function validMember(m: unknown): Member | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const mm = m as Member;
  if (typeof mm.host !== 'string' || mm.host === '' || typeof mm.port !== 'number' || !Number.isFinite(mm.port)) return undefined;
  return mm;
}
