// The cluster model: a reducer over the merged, time-ordered events of all nodes. `apply` keeps
// only what the views need; `snapshot` derives everything else (findings, statistics) on demand.

import type { ClusterEvent, InputStats, Member } from '../types.js';
import type { ClusterSnapshot, Counts, NodeInfo } from '../snapshot.js';
import { AddressBook, addressKey, normaliseHost } from './addresses.js';
import { deriveFindings, type FailureRecord, type SendFailureRecord, type BindRecord } from './findings.js';
import { summarizeLatency } from './latency.js';
import { pushBounded } from './history.js';
import { evidenceOf, MembershipTracker } from './membership.js';
import { newNode, nodeInfo, type NodeState } from './nodes.js';
import { resolveOptions, type ModelOptions, type ResolvedOptions } from './options.js';
import { isoAt } from './time.js';
import { TransferTracker } from './transfers.js';

export type { ModelOptions } from './options.js';

const MAX_EVENT_TYPES = 1000;

export class ClusterModel {
  private readonly opts: ResolvedOptions;
  private readonly nodes = new Map<string, NodeState>();
  private readonly book: AddressBook;
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
  /** Older entries the history bound dropped. */
  private droppedBinds = 0;
  private droppedFailures = 0;
  private rejected = 0;
  private untimed = 0;

  constructor(opts: ModelOptions = {}) {
    this.opts = resolveOptions(opts);
    this.book = new AddressBook(this.opts.maxHistory);
    for (const n of this.opts.nodes) this.nodes.set(n.name, newNode(n.name, true, n.address, this.opts.maxHistory));
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
          runEndMs: (i: number) => n.runs.get(i)?.endMs,
          runEnd: (i: number) => n.runs.get(i)?.end,
        };
      },
      flapWindowMs: this.opts.flapWindowMs,
      allowRow: () => self.membership.rows.size < self.opts.maxMembers || self.noteBound('membership rows'),
      maxHistory: this.opts.maxHistory,
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
      maxTransfers: this.opts.maxTransfers,
    });
  }

  /** Records that a bound was hit; always returns false (the caller drops the item). */
  private noteBound(what: string, bound = this.opts.maxMembers): false {
    this.notes.add(`More than ${bound} ${what}: further ones were not tracked (raise maxMembers if the logs are genuine).`);
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
      this.nodes.set(name, (n = newNode(name, false, undefined, this.opts.maxHistory)));
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
    this.countType(ev.type);
    if (typeof ev.file === 'string' && !n.files.includes(ev.file) && n.files.length < 1000) n.files.push(ev.file);
    const t = typeof ev.timeMs === 'number' && Number.isFinite(ev.timeMs) ? ev.timeMs : undefined;
    if (t !== undefined) this.widenSpan(t, ev.time);
    else this.untimed++;
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
    n.lastEvidenceEvent = e; // its evidence text is made only if a finding quotes it
    const run = n.runs.current!;
    const member = validMember(e.member);

    // Each case's work is a method: a long apply() stayed in V8's baseline code for the first
    // thousands of events (V8 waits longer before optimising a larger function).
    switch (e.type) {
      case 'receiver-bound':
        this.receiverBound(e, n, run.index, t);
        break;
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
      case 'send-failed':
        this.sendFailed(e, n.name, member, t);
        break;
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
        this.startFailed(e, n.name, run.index, t);
        break;
      default:
        break;
    }
  }

  private countType(type: string): void {
    const count = this.eventCounts.get(type);
    if (count !== undefined) this.eventCounts.set(type, count + 1);
    else if (this.eventCounts.size < MAX_EVENT_TYPES) this.eventCounts.set(type, 1);
    else this.droppedEventTypes++;
  }

  /** The first and last event times of all nodes. */
  private widenSpan(t: number, time: string | undefined): void {
    if (this.fromMs === undefined || t < this.fromMs) {
      this.fromMs = t;
      this.from = time ?? isoAt(t);
    }
    if (this.toMs === undefined || t >= this.toMs) {
      this.toMs = t;
      this.to = time ?? isoAt(t);
    }
  }

  private receiverBound(e: ClusterEvent, n: NodeState, run: number, t: number | undefined): void {
    if (typeof e.address !== 'string' || typeof e.port !== 'number') return;
    const address = addressKey(e.address, e.port);
    if (!this.book.has(address) && this.book.size() >= this.opts.maxMembers) {
      this.noteBound('addresses');
      return;
    }
    this.book.claim(address, n.name, t);
    n.address = address;
    n.addressSource = 'receiver-bound';
    if (!n.boundAddresses.includes(address) && n.boundAddresses.length < 100) n.boundAddresses.push(address);
    const bind = { node: n.name, run, address, host: normaliseHost(e.address), timeMs: t, time: e.time, evidence: evidenceOf(e) };
    this.droppedBinds += pushBounded(this.binds, bind, this.opts.maxHistory).length;
  }

  private sendFailed(e: ClusterEvent, node: string, member: Member | undefined, t: number | undefined): void {
    const address = member ? addressKey(member.host, member.port) : '';
    if (member) this.membership.step(e, member, 'send failed');
    const key = `${node}\u0000${address}`;
    let rec = this.sendFailures.get(key);
    if (!rec) {
      if (this.sendFailures.size >= this.opts.maxMembers) {
        this.noteBound('send-failure targets');
        return;
      }
      rec = { node, member: address || undefined, count: 0, firstMs: t, first: e.time, evidence: [] };
      this.sendFailures.set(key, rec);
    }
    rec.count++;
    rec.lastMs = t;
    if (rec.evidence.length < 5) rec.evidence.push(evidenceOf(e));
  }

  private startFailed(e: ClusterEvent, node: string, run: number, t: number | undefined): void {
    const failure = { kind: e.type, node, timeMs: t, time: e.time, evidence: evidenceOf(e), run, message: e.message };
    this.droppedFailures += pushBounded(this.failures, failure, this.opts.maxHistory).length;
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
      completeFromMs: this.historyHorizon(),
    });
    const notes = [...this.notes];
    if (this.membership.droppedRows) notes.push(`${this.membership.droppedRows} member records were not tracked (bound of ${this.opts.maxMembers} rows).`);
    notes.push(...this.historyNotes());
    if (this.droppedEventTypes) notes.push(`${this.droppedEventTypes} events of more than ${MAX_EVENT_TYPES} distinct types were not counted.`);
    if (this.droppedNodes) notes.push(`${this.droppedNodes} events came from nodes beyond the bound of ${this.opts.maxMembers} and were ignored.`);
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

  /** How much each bounded history holds and dropped (for tests and diagnostics). */
  historySizes(): { bound: number; maxTransfers: number; held: Record<string, number>; dropped: Record<string, number> } {
    let runs = 0;
    let runsDropped = 0;
    let maxRunsPerNode = 0;
    for (const n of this.nodes.values()) {
      runs += n.runs.runs.length;
      runsDropped += n.runs.dropped;
      maxRunsPerNode = Math.max(maxRunsPerNode, n.runs.runs.length);
    }
    let maxIntervalsPerRow = 0;
    let flaps = 0;
    let maxFlapsPerRow = 0;
    for (const row of this.membership.rows.values()) {
      maxIntervalsPerRow = Math.max(maxIntervalsPerRow, row.intervals.length);
      flaps += row.flapTimes.length;
      maxFlapsPerRow = Math.max(maxFlapsPerRow, row.flapTimes.length);
    }
    return {
      bound: this.opts.maxHistory,
      maxTransfers: this.opts.maxTransfers,
      held: {
        runs,
        maxRunsPerNode,
        binds: this.binds.length,
        rows: this.membership.rows.size,
        intervals: this.membership.intervalCount(),
        maxIntervalsPerRow,
        flaps,
        maxFlapsPerRow,
        claims: this.book.claimCount(),
        failures: this.failures.length,
        sendFailures: this.sendFailures.size,
        transfers: this.transfers.transfers.length,
        inputs: this.inputs.size,
      },
      dropped: {
        runs: runsDropped,
        binds: this.droppedBinds,
        intervals: this.membership.droppedIntervals,
        flaps: this.membership.droppedFlaps,
        claims: this.book.dropped,
        failures: this.droppedFailures,
        transfers: this.transfers.droppedTransfers,
      },
    };
  }

  /** One note per history that hit its bound. */
  private historyNotes(): string[] {
    const d = this.historySizes().dropped;
    const n = this.opts.maxHistory;
    const out: string[] = [];
    const say = (count: number, what: string, per: string, bound = n, option = 'maxHistory') => {
      if (count > 0) out.push(`${count} older ${what} were dropped (bound of ${bound}${per}, ${option}): the model keeps the most recent ones, and findings cover that history.`);
    };
    say(d.runs, 'runs', ' per node');
    say(d.binds, 'receiver binds', '');
    say(d.intervals, 'membership intervals', ' per member row');
    say(d.flaps, 'flaps', ' per member row');
    say(d.claims, 'address claims', ' per address');
    say(d.failures, 'start failures', '');
    say(d.transfers, 'transfers', '', this.opts.maxTransfers, 'maxTransfers');
    return out;
  }

  /** From when every kept history is complete: the latest time a dropped interval or run covered. */
  private historyHorizon(): number | undefined {
    let h = this.membership.droppedToMs;
    for (const n of this.nodes.values()) {
      const ms = n.runs.droppedToMs;
      if (ms !== undefined && (h === undefined || ms > h)) h = ms;
    }
    return h;
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
