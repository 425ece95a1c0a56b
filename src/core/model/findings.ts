// Findings: what a person on call can act on, derived on demand from the model's state.
// Each finding names the node, the time, what happened, what it means, and where to look.

import type { Finding, MembershipRow, NodeInfo, Severity, Transfer } from '../snapshot.js';
import { isLoopback } from './addresses.js';
import { evidenceOf, MembershipTracker, type RowState } from './membership.js';
import type { NodeState } from './nodes.js';
import type { ResolvedOptions } from './options.js';
import { formatDuration, isoAt } from './time.js';
import type { TransferState } from './transfers.js';

export interface SendFailureRecord {
  node: string;
  member?: string;
  count: number;
  firstMs?: number;
  first?: string;
  lastMs?: number;
  evidence: string[];
}

export interface FailureRecord {
  kind: 'cluster-start-failed' | 'multicast-join-failed' | string;
  node: string;
  timeMs?: number;
  time?: string;
  evidence: string;
  run: number;
  message: string;
}

export interface BindRecord {
  node: string;
  /** The node's run index when it bound. */
  run: number;
  address: string;
  host: string;
  timeMs?: number;
  time?: string;
  evidence: string;
}

export interface FindingsContext {
  opts: ResolvedOptions;
  nodes: NodeInfo[];
  nodeStates: Map<string, NodeState>;
  membership: MembershipRow[];
  rows: Map<string, RowState>;
  transfers: Transfer[];
  /** Same order as `transfers`. */
  transferStates: TransferState[];
  sendFailures: SendFailureRecord[];
  failures: FailureRecord[];
  binds: BindRecord[];
  lateResolve: (address: string, timeMs: number | undefined, observer: string) => string | undefined;
  spanToMs?: number;
  /**
   * Set when the history bound dropped membership intervals or runs: the latest time they covered.
   * Before it, one side of a comparison may be missing, so views are compared only after it.
   */
  completeFromMs?: number;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

type Span = [number, number];

/** `items` in lists by key, in order (first appearance of each key, then item order); an undefined key leaves the item out. */
function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** The number of leading indexes `i` of `0..length` for which `before(i)` holds (it holds for a prefix): a binary search. */
function countWhile(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function finding(kind: string, severity: Severity, node: string | undefined, timeMs: number | undefined, time: string | undefined, message: string, evidence: string[]): Finding {
  const f: Finding = { kind, severity, message, evidence: [...new Set(evidence.filter(Boolean))] };
  if (node !== undefined) f.node = node;
  if (timeMs !== undefined) {
    f.timeMs = timeMs;
    f.time = time ?? isoAt(timeMs);
  }
  return f;
}

function at(time: string | undefined, ms: number | undefined): string {
  if (time) return time.replace('T', ' ').replace(/(\.\d{3})?(Z|[+-]\d\d:\d\d)$/, '$1');
  return ms !== undefined ? isoAt(ms).replace('T', ' ').replace(/Z$/, '') : 'an unknown time';
}

export function deriveFindings(ctx: FindingsContext): Finding[] {
  const out: Finding[] = [];
  const inputNames = new Set(ctx.nodes.filter((n) => n.runs.length > 0).map((n) => n.name));
  transferFindings(ctx, out);
  mutualRequests(ctx, out);
  flapping(ctx, out);
  memberLost(ctx, out);
  viewsDisagree(ctx, inputNames, out);
  neverJoined(ctx, inputNames, out);
  clusterNeverFormed(ctx, inputNames, out);
  startFailures(ctx, out);
  loopbackReceiver(ctx, out);
  sendFailures(ctx, out);
  unknownMembers(ctx, inputNames, out);
  selfMembers(ctx, out);
  out.sort((a, b) => RANK[a.severity] - RANK[b.severity] || (a.timeMs ?? Infinity) - (b.timeMs ?? Infinity) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return out;
}

/** What the provider's own log shows between a request and its outcome. */
function providerContext(ctx: FindingsContext, t: Transfer, st: TransferState): string {
  const p = t.provider;
  if (!p) return t.member ? `the provider ${t.member} is not one of the inputs, so its side cannot be checked` : 'the provider is unknown';
  const node = ctx.nodeStates.get(p);
  if (!node || node.runs.runs.length === 0) return `${p} is named as the provider, but its log is not among the inputs (or has no cluster records)`;
  const req = t.requestedAtMs;
  const end = t.outcomeAtMs;
  if (st.providerRunAtRequest !== undefined && st.providerRunAtOutcome !== undefined && st.providerRunAtRequest !== st.providerRunAtOutcome) {
    return `${p} was restarting: its log shows a new start between the request and the timeout`;
  }
  if (st.providerStoppedAtOutcome) return `${p} was shutting down: it had logged its stop by then`;
  const waitingBack = transfersBetween(ctx, p, t.node).find(
    (o) => o.requestedAtMs !== undefined && req !== undefined && end !== undefined && o.requestedAtMs <= end && (o.outcomeAtMs ?? Infinity) >= req,
  );
  if (waitingBack) return `${p} was itself waiting for session state from ${t.node} at that moment (requested at ${at(waitingBack.requestedAt, waitingBack.requestedAtMs)}), and a node in that phase drops incoming state requests`;
  const between = st.providerEventsAtOutcome !== undefined && st.providerEventsAtRequest !== undefined ? st.providerEventsAtOutcome - st.providerEventsAtRequest : undefined;
  const covering = req !== undefined && end !== undefined && node.runs.runs.some((r) => r.startMs !== undefined && r.endMs !== undefined && r.startMs <= req && r.endMs >= end);
  if (between === 0 && covering) {
    return `${p}'s own log shows nothing between the request and the timeout, yet it logged before and after: it was most likely paused or hung (stop-the-world GC, SIGSTOP, swapping, a stuck thread); check its GC log and take a thread dump next time`;
  }
  if (between === 0 || st.providerEventsAtRequest === undefined) {
    const last = node.runs.runs.filter((r) => r.endMs !== undefined && req !== undefined && r.endMs <= req).pop();
    if (last) return `${p}'s log has no record at that time (its last one before was at ${at(last.end, last.endMs)}): it was not running, or had crashed without a trace`;
    return `${p}'s log has no record at that time: it was not running, or its log is missing that period`;
  }
  return `${p} was logging at the time (${between} cluster records in that window), so it was alive but did not answer: see its log around ${at(t.requestedAt, req)}`;
}

const byRequesterAndProvider = new WeakMap<Transfer[], Map<string, Transfer[]>>();

/** The transfers `node` requested from `provider`, in log order (indexed once per snapshot). */
function transfersBetween(ctx: FindingsContext, node: string, provider: string): Transfer[] {
  let index = byRequesterAndProvider.get(ctx.transfers);
  if (!index) {
    index = groupBy(ctx.transfers, (o) => (o.provider === undefined ? undefined : `${o.node}\u0000${o.provider}`));
    byRequesterAndProvider.set(ctx.transfers, index);
  }
  return index.get(`${node}\u0000${provider}`) ?? [];
}

function transferFindings(ctx: FindingsContext, out: Finding[]): void {
  ctx.transfers.forEach((t, i) => {
    const st = ctx.transferStates[i];
    const ev = [`${t.file}:${t.line}`, t.outcomeEvidence ?? ''];
    const from = t.provider ? `${t.provider}${t.member ? ` (${t.member})` : ''}` : t.member ?? 'an unknown member';
    if (t.outcome === 'timeout') {
      const waited = t.durationMs !== undefined ? formatDuration(t.durationMs) : t.timeoutSeconds !== undefined ? `${t.timeoutSeconds} s` : 'the timeout';
      out.push(
        finding(
          'state-transfer-timeout',
          'error',
          t.node,
          t.outcomeAtMs ?? t.requestedAtMs,
          t.outcomeAt ?? t.requestedAt,
          `${t.node} asked ${from} for the sessions of ${t.manager} at ${at(t.requestedAt, t.requestedAtMs)} and gave up after ${waited}: ${providerContext(ctx, t, st)}. ${t.node} started without those sessions, so users whose requests land on it may lose their session.`,
          ev,
        ),
      );
    } else if (t.outcome === 'received' && t.durationMs !== undefined && t.durationMs > ctx.opts.slowMs) {
      out.push(
        finding(
          'slow-transfer',
          'warning',
          t.node,
          t.outcomeAtMs ?? t.requestedAtMs,
          t.outcomeAt ?? t.requestedAt,
          `${t.node} received the sessions of ${t.manager} from ${from} in ${formatDuration(t.durationMs)} (over ${formatDuration(ctx.opts.slowMs)}); start-up waits this long. Large session state or a busy provider; watch the trend.`,
          ev,
        ),
      );
    } else if (t.outcome === 'no-manager') {
      out.push(
        finding(
          'state-transfer-no-manager',
          'warning',
          t.node,
          t.outcomeAtMs ?? t.requestedAtMs,
          t.outcomeAt ?? t.requestedAt,
          `${t.node} asked ${from} for the sessions of ${t.manager}, but the provider has no such manager: the application is not deployed (or not yet started) there under the same name.`,
          ev,
        ),
      );
    }
  });
}

function mutualRequests(ctx: FindingsContext, out: Finding[]): void {
  const reqs = ctx.transfers.filter((t) => t.provider && t.requestedAtMs !== undefined && t.outcome !== 'skipped');
  const byPair = groupBy(reqs, (t) => [t.node, t.provider!].sort().join('\u0000'));
  for (const list of byPair.values()) {
    for (const [a, b] of mutualPairs(list)) {
      const [first, second] = a.requestedAtMs! <= b.requestedAtMs! ? [a, b] : [b, a];
      const bothTimedOut = a.outcome === 'timeout' && b.outcome === 'timeout';
      const gap = second.requestedAtMs! - first.requestedAtMs!;
      out.push(
        finding(
          'mutual-state-request',
          bothTimedOut ? 'error' : 'warning',
          first.node,
          first.requestedAtMs,
          first.requestedAt,
          `${first.node} and ${second.node} asked each other for session state at the same time (${formatDuration(gap)} apart, ${first.manager}): a node that is waiting for its own state drops incoming state requests ("Drop message SESSION-GET-ALL"), so ${bothTimedOut ? 'both waited the full timeout and started without sessions' : `outcomes: ${first.node} ${first.outcome}, ${second.node} ${second.outcome}`}. Start one node first and let it finish starting before the next.`,
          [`${first.file}:${first.line}`, `${second.file}:${second.line}`, first.outcomeEvidence ?? '', second.outcomeEvidence ?? ''],
        ),
      );
    }
  }
}

const waitEnd = (t: Transfer): number => t.outcomeAtMs ?? t.requestedAtMs! + (t.timeoutSeconds ?? 60) * 1000;

/**
 * Requests between two nodes (`list`, in log order, each with a request time) paired with one asked
 * the other way while it waited: for each request not yet paired, in order, the first in log order
 * that is unpaired, asked the other way, and whose wait overlaps its own. Each side's requests are
 * sorted by time so that only those near a request are looked at (a long archive logs thousands).
 */
export function mutualPairs(list: readonly Transfer[]): Array<[Transfer, Transfer]> {
  const pairs: Array<[Transfer, Transfer]> = [];
  const used = new Set<Transfer>();
  const order = new Map(list.map((t, i) => [t, i]));
  const bySide = groupBy(list, (t) => t.node);
  for (const side of bySide.values()) side.sort((x, y) => x.requestedAtMs! - y.requestedAtMs!);
  const longest = list.reduce((n, t) => Math.max(n, waitEnd(t) - t.requestedAtMs!), 0);
  for (const a of list) {
    if (used.has(a)) continue;
    const aEnd = waitEnd(a);
    const other = bySide.get(a.provider!) ?? [];
    let b: Transfer | undefined;
    for (let i = firstAtOrAfter(other, a.requestedAtMs! - longest); i < other.length && other[i].requestedAtMs! <= aEnd; i++) {
      const x = other[i];
      if (x === a || used.has(x) || x.provider !== a.node || waitEnd(x) < a.requestedAtMs!) continue;
      if (b === undefined || order.get(x)! < order.get(b)!) b = x;
    }
    if (!b) continue;
    used.add(a);
    used.add(b);
    pairs.push([a, b]);
  }
  return pairs;
}

/** The index of the first transfer of `sorted` (by request time) requested at or after `ms`. */
function firstAtOrAfter(sorted: Transfer[], ms: number): number {
  return countWhile(sorted.length, (i) => sorted[i].requestedAtMs! < ms);
}

function flapping(ctx: FindingsContext, out: Finding[]): void {
  for (const row of ctx.rows.values()) {
    const byNode = new Map<string, number[]>();
    for (const f of row.flapTimes) {
      const k = f.node ?? '';
      let l = byNode.get(k);
      if (!l) byNode.set(k, (l = []));
      l.push(f.ms);
    }
    for (const [node, times] of byNode) {
      const { count, atMs } = MembershipTracker.maxFlapsInWindow(times, ctx.opts.flapWindowMs);
      if (count < ctx.opts.flapCount) continue;
      const member = node || row.address;
      const ivs = row.intervals.filter((iv) => (iv.node ?? '') === node);
      const losses = ivs.filter((iv) => iv.endReason === 'disappeared' && !iv.gracefulLeave);
      const evidence = losses.flatMap((iv) => iv.evidence.slice(-1)).slice(0, 10);
      out.push(
        finding(
          'flapping-member',
          'warning',
          row.observer,
          atMs,
          undefined,
          `${row.observer} lost and re-added ${member}${node ? ` (${row.address})` : ''} ${count} times within ${formatDuration(ctx.opts.flapWindowMs)} (${times.length} in all) without ${member} restarting: it stopped answering for a while each time (long GC pauses, a frozen or overloaded JVM, network trouble). Sessions changed while it was out of the view were not replicated to it.`,
          evidence,
        ),
      );
    }
  }
}

/** Departures without a shutdown notice, one finding per member departure (grouped across observers). */
function memberLost(ctx: FindingsContext, out: Finding[]): void {
  interface Loss { observer: string; toMs?: number; to?: string; detection?: string; detectionMs?: number; lastSign?: string; lastSignMs?: number; evidence: string; suspected?: string }
  const groups = new Map<string, Loss[]>();
  for (const row of ctx.rows.values()) {
    for (const iv of row.intervals) {
      if (iv.endReason !== 'disappeared' || iv.gracefulLeave) continue;
      const member = iv.node ?? row.address;
      const key = `${member}\u0000${iv.memberRun ?? ''}`;
      let l = groups.get(key);
      if (!l) groups.set(key, (l = []));
      l.push({ observer: row.observer, toMs: iv.toMs, to: iv.to, detection: iv.detection, detectionMs: iv.detectionMs, lastSign: iv.lastSign, lastSignMs: iv.lastSignMs, evidence: iv.evidence[iv.evidence.length - 1], suspected: iv.suspected });
    }
  }
  for (const [key, all] of groups) {
    const member = key.split('\u0000')[0];
    all.sort((a, b) => (a.toMs ?? 0) - (b.toMs ?? 0));
    // Split one member's losses into departures: losses more than a minute apart are separate.
    let start = 0;
    for (let i = 1; i <= all.length; i++) {
      if (i < all.length && (all[i].toMs ?? 0) - (all[i - 1].toMs ?? 0) <= 60_000) continue;
      const dep = all.slice(start, i);
      start = i;
      const first = dep[0];
      const who = dep
        .map((d) => `${d.observer} at ${at(d.to, d.toMs)}${d.detectionMs !== undefined ? ` (${formatDuration(d.detectionMs)} after its last sign of life)` : ''} via ${d.detection ?? '?'}`)
        .join('; ');
      const last = first.lastSignMs !== undefined ? ` Its own log's last record before that was at ${at(first.lastSign, first.lastSignMs)}.` : '';
      // The snapshot's `suspected` carries an ISO time; the finding's prose writes times as `at` does.
      const susp = dep.find((d) => d.suspected)?.suspected?.replace(/\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)/, (t) => at(t, undefined));
      out.push(
        finding(
          'member-lost',
          'warning',
          member,
          first.toMs,
          first.to,
          `${member} left the cluster without a shutdown notice (crash, kill, freeze or network loss). Dropped by ${who}.${last}${susp ? ` First suspicion: ${susp}.` : ''}`,
          dep.map((d) => d.evidence),
        ),
      );
    }
  }
}

function normalise(spans: Span[]): Span[] {
  const s = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Span[] = [];
  for (const sp of s) {
    const last = out[out.length - 1];
    if (last && sp[0] <= last[1]) last[1] = Math.max(last[1], sp[1]);
    else out.push([sp[0], sp[1]]);
  }
  return out;
}

function intersect(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i][0], b[j][0]);
    const e = Math.min(a[i][1], b[j][1]);
    if (e > s) out.push([s, e]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

/** `a` minus `b`, both sorted and disjoint (as `normalise` and `intersect` return them): linear. */
function subtract(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const [s0, e0] of a) {
    while (j < b.length && b[j][1] <= s0) j++; // ends before this span, and so before every later one
    let s = s0;
    for (let k = j; k < b.length && b[k][0] < e0; k++) {
      const [bs, be] = b[k];
      if (be <= s) continue;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
      if (s >= e0) break;
    }
    if (s < e0) out.push([s, e0]);
  }
  return out;
}

function runSpans(n: NodeInfo): Span[] {
  return normalise(n.runs.filter((r) => r.startMs !== undefined && r.endMs !== undefined).map((r) => [r.startMs!, r.endMs!] as Span));
}

/** The span of `spans` (sorted, disjoint: normalised) that holds `t`, or undefined. */
function spanHolding(spans: Span[], t: number): Span | undefined {
  const sp = spans[countWhile(spans.length, (i) => spans[i][0] <= t) - 1];
  return sp !== undefined && t <= sp[1] ? sp : undefined;
}

/** Where `observer` had `member` in its view; open intervals end with the observer's run. */
function viewSpans(ctx: FindingsContext, rows: readonly MembershipRow[], runs: Span[]): { spans: Span[]; evidence: Map<number, string> } {
  const spans: Span[] = [];
  const evidence = new Map<number, string>();
  for (const row of rows) {
    for (const iv of row.intervals) {
      const from = iv.fromMs ?? (iv.toMs !== undefined ? spanHolding(runs, iv.toMs)?.[0] : undefined);
      if (from === undefined) continue;
      const to = iv.toMs ?? spanHolding(runs, from)?.[1] ?? ctx.spanToMs ?? from;
      spans.push([from, to]);
      evidence.set(from, iv.evidence[0]);
    }
  }
  return { spans: normalise(spans), evidence };
}

/**
 * For a time `s`: the evidence of the interval that opened at or before `s` and was listed last
 * (what `[...evidence].filter(([from]) => from <= s).pop()` gives), by binary search.
 */
function openedBefore(evidence: Map<number, string>): (s: number) => string | undefined {
  const entries = [...evidence];
  const byFrom = entries.map((_, i) => i).sort((x, y) => entries[x][0] - entries[y][0]);
  const froms = byFrom.map((i) => entries[i][0]);
  /** latest[k]: the largest listing index among byFrom[0..k]. */
  const latest: number[] = [];
  for (const i of byFrom) latest.push(Math.max(i, latest[latest.length - 1] ?? -1));
  return (s) => {
    const n = countWhile(froms.length, (i) => froms[i] <= s);
    return n === 0 ? undefined : entries[latest[n - 1]][1];
  };
}

function viewsDisagree(ctx: FindingsContext, inputs: Set<string>, out: Finding[]): void {
  const nodes = ctx.nodes.filter((n) => inputs.has(n.name));
  // Each node's runs, and the resolved rows of each observer/member pair, worked out once.
  const runs = new Map(nodes.map((n) => [n.name, runSpans(n)]));
  const rowsOf = groupBy(ctx.membership, (row) => (row.resolved ? `${row.observer}\u0000${row.member}` : undefined));
  const views = new Map<string, ReturnType<typeof viewSpans>>();
  const view = (observer: NodeInfo, member: string): ReturnType<typeof viewSpans> => {
    const key = `${observer.name}\u0000${member}`;
    let v = views.get(key);
    if (!v) views.set(key, (v = viewSpans(ctx, rowsOf.get(key) ?? [], runs.get(observer.name)!)));
    return v;
  };
  for (const a of nodes) {
    for (const b of nodes) {
      if (a === b) continue;
      const ab = view(a, b.name);
      if (ab.spans.length === 0) continue;
      const ba = view(b, a.name);
      const bothRunning = intersect(runs.get(a.name)!, runs.get(b.name)!);
      let d = subtract(intersect(ab.spans, bothRunning), ba.spans);
      if (ctx.completeFromMs !== undefined) d = intersect(d, [[ctx.completeFromMs, Number.POSITIVE_INFINITY]]);
      let openedAt: ((s: number) => string | undefined) | undefined;
      for (const [s, e] of d) {
        if (e - s <= ctx.opts.disagreeGraceMs) continue;
        const opened = (openedAt ??= openedBefore(ab.evidence))(s);
        out.push(
          finding(
            'views-disagree',
            'warning',
            a.name,
            s,
            undefined,
            `${a.name} had ${b.name} in its cluster view for ${formatDuration(e - s)} (from ${at(undefined, s)} to ${at(undefined, e)}) while ${b.name}, running, did not have ${a.name}: sessions changed on ${b.name} in that time were not replicated to ${a.name}. Check connectivity from ${b.name} to ${a.name}'s receiver${a.address ? ` ${a.address}` : ''} (firewall, bind address) and whether ${b.name} was frozen.`,
            opened ? [opened] : [],
          ),
        );
      }
    }
  }
}

function neverJoined(ctx: FindingsContext, inputs: Set<string>, out: Finding[]): void {
  const seen = new Set(ctx.membership.filter((r) => r.resolved && r.intervals.length > 0 && r.observer !== r.member).map((r) => r.member));
  for (const n of ctx.nodes) {
    if (!inputs.has(n.name) || !n.address || seen.has(n.name)) continue;
    const mine = runSpans(n);
    const overlapping = ctx.nodes.filter((o) => o !== n && inputs.has(o.name) && intersect(mine, runSpans(o)).length > 0);
    if (overlapping.length === 0) continue;
    const st = ctx.nodeStates.get(n.name);
    const bind = ctx.binds.find((b) => b.node === n.name);
    const failed = ctx.failures.some((f) => f.node === n.name);
    out.push(
      finding(
        'member-never-joined',
        failed ? 'warning' : 'error',
        n.name,
        n.runs[0]?.startMs,
        n.runs[0]?.start,
        `${n.name} (${n.address}) never appeared in the view of ${overlapping.map((o) => o.name).join(', ')}, although they ran at the same time: ${failed ? 'its cluster failed to start (see below)' : 'it is not reaching the others (membership: different multicast address/port or domain, static members listing another address, a firewall, or a receiver bound to an address the others cannot reach)'}.`,
        [bind?.evidence ?? (st?.lastEvidenceEvent ? evidenceOf(st.lastEvidenceEvent) : '')],
      ),
    );
  }
}

function clusterNeverFormed(ctx: FindingsContext, inputs: Set<string>, out: Finding[]): void {
  const nodes = [...inputs].map((n) => ctx.nodeStates.get(n)!).filter(Boolean);
  if (nodes.length < 2) return;
  const anyView = ctx.membership.some((r) => r.intervals.length > 0 && r.observer !== r.member);
  if (anyView) return;
  const runs = nodes.flatMap((n) => n.runs.runs.filter((r) => r.managers > 0 || r.skipped > 0));
  const allSkipped = runs.length > 0 && runs.every((r) => r.skipped > 0 && r.requested === 0);
  if (!allSkipped) return;
  const first = ctx.transfers.find((t) => t.outcome === 'skipped');
  out.push(
    finding(
      'cluster-never-formed',
      'error',
      undefined,
      first?.requestedAtMs,
      first?.requestedAt,
      `The cluster never formed: on every start of ${nodes.map((n) => n.name).join(', ')} DeltaManager found "No members active" and no node ever saw another. Sessions are not replicated at all. Check that the nodes share the membership settings (multicast address/port, or static member lists), that multicast works on that network, and that receivers are not bound to 127.0.0.1 across hosts.`,
      ctx.transfers.filter((t) => t.outcome === 'skipped').slice(0, 10).map((t) => `${t.file}:${t.line}`),
    ),
  );
}

function startFailures(ctx: FindingsContext, out: Finding[]): void {
  const groups = groupBy(ctx.failures, (f) => `${f.kind}\u0000${f.node}`);
  for (const list of groups.values()) {
    const f = list[0];
    const runs = new Set(list.map((x) => x.run)).size;
    const times = list.length > 1 ? ` (${list.length} times over ${runs} start${runs > 1 ? 's' : ''}, last at ${at(list[list.length - 1].time, list[list.length - 1].timeMs)})` : '';
    const what =
      f.kind === 'multicast-join-failed'
        ? `could not join the multicast group${times}: membership never starts, so the node never sees its peers. Check the McastService address (it must be a multicast address, 224.0.0.0/4), the bind interface and that multicast is routed on that interface`
        : `failed to start its cluster${times}: the node runs without replication (or Tomcat refused to start). The stack trace under the record names the cause`;
    out.push(finding(f.kind, 'error', f.node, f.timeMs, f.time, `${f.node} ${what}.`, list.slice(0, 10).map((x) => x.evidence)));
  }
}

function loopbackReceiver(ctx: FindingsContext, out: Finding[]): void {
  const loopBinds = ctx.binds.filter((b) => isLoopback(b.host));
  if (loopBinds.length === 0) return;
  // Indexes built once: a node restarted thousands of times must not make this quadratic.
  const failedRuns = new Set(ctx.failures.map((f) => `${f.node}\u0000${f.run}`));
  const own = new Map<string, Set<string>>();
  const nonLoopBinds = new Map<string, Set<string>>(); // address → nodes that bound it
  for (const x of ctx.binds) {
    if (!own.has(x.node)) own.set(x.node, new Set());
    own.get(x.node)!.add(x.address);
    if (!isLoopback(x.host)) {
      if (!nonLoopBinds.has(x.address)) nonLoopBinds.set(x.address, new Set());
      nonLoopBinds.get(x.address)!.add(x.node);
    }
  }
  const nonLoopMembers = new Set<string>();
  const seenBy = new Map<string, Set<string>>(); // member address → observers that had it in view
  for (const r of ctx.membership) {
    if (!isLoopback(r.memberAddress.slice(0, r.memberAddress.lastIndexOf(':')))) nonLoopMembers.add(r.memberAddress);
    if (r.intervals.length > 0) {
      if (!seenBy.has(r.memberAddress)) seenBy.set(r.memberAddress, new Set());
      seenBy.get(r.memberAddress)!.add(r.observer);
    }
  }
  const done = new Set<string>();
  // The addresses of a multi-host cluster other than a node's own: per node, not per bind (a node
  // binds at every start).
  const othersOf = new Map<string, string[]>();
  const otherAddresses = (node: string): string[] => {
    let others = othersOf.get(node);
    if (others) return others;
    const mine = own.get(node)!;
    const found = new Set<string>();
    for (const [address, nodes] of nonLoopBinds) if ([...nodes].some((n) => n !== node)) found.add(address);
    for (const address of nonLoopMembers) if (!mine.has(address)) found.add(address);
    othersOf.set(node, (others = [...found]));
    return others;
  };
  for (const b of loopBinds) {
    if (done.has(b.node)) continue;
    // A run whose cluster failed to start anyway says nothing about reachability.
    if (failedRuns.has(`${b.node}\u0000${b.run}`)) continue;
    // Only on a multi-host cluster (other nodes or members on non-loopback addresses), and only
    // when nobody reached it at that address.
    const others = otherAddresses(b.node);
    if (others.length === 0) continue;
    if ([...(seenBy.get(b.address) ?? [])].some((observer) => observer !== b.node)) continue;
    done.add(b.node);
    out.push(
      finding(
        'receiver-on-loopback',
        'warning',
        b.node,
        b.timeMs,
        b.time,
        `${b.node} bound its cluster receiver to ${b.address}, a loopback address, while the cluster has members on other addresses (${others.slice(0, 3).join(', ')}), and no other node ever had it in view at that address: members on other hosts cannot connect to it. Set the Receiver's address to an interface the peers can reach (or check what "auto" resolved to).`,
        [b.evidence],
      ),
    );
  }
}

function sendFailures(ctx: FindingsContext, out: Finding[]): void {
  for (const s of ctx.sendFailures) {
    const who = s.member ? ctx.lateResolve(s.member, s.firstMs, s.node) : undefined;
    const target = s.member ? (who ? `${who} (${s.member})` : s.member) : 'a member';
    const span = s.count > 1 && s.lastMs !== undefined && s.firstMs !== undefined ? ` ${s.count} times over ${formatDuration(s.lastMs - s.firstMs)}` : '';
    out.push(
      finding(
        'send-failed',
        'warning',
        s.node,
        s.firstMs,
        s.first,
        `${s.node} failed to send cluster messages to ${target}${span}: replication to it was failing (it was down, frozen or unreachable); session changes made on ${s.node} then may be missing there.`,
        s.evidence,
      ),
    );
  }
}

function unknownMembers(ctx: FindingsContext, inputs: Set<string>, out: Finding[]): void {
  const byAddress = groupBy(ctx.membership, (r) => (r.resolved ? undefined : r.memberAddress));
  const addressed = ctx.nodes.filter((n) => inputs.has(n.name) && n.address).length;
  for (const [address, rows] of byAddress) {
    const first = rows.flatMap((r) => r.intervals).filter((iv) => iv.fromMs !== undefined || iv.toMs !== undefined).sort((a, b) => (a.fromMs ?? a.toMs!) - (b.fromMs ?? b.toMs!))[0];
    const observers = [...new Set(rows.map((r) => r.observer))].sort();
    const joins = rows.reduce((s, r) => s + r.intervals.filter((iv) => iv.fromMs !== undefined).length, 0);
    const stray = addressed >= 2;
    out.push(
      finding(
        'unknown-member',
        stray ? 'warning' : 'info',
        observers[0],
        first?.fromMs ?? first?.toMs,
        first?.from ?? first?.to,
        stray
          ? `${observers.join(', ')} saw member ${address} (${joins} join${joins === 1 ? '' : 's'}), which is none of the input nodes: a stray Tomcat joining the same membership (same multicast group and domain) from elsewhere, or a node whose log was not given. A stray member receives copies of every replicated session; give the cluster its own multicast address/port or domain.`
          : `${observers.join(', ')} saw member ${address}, which is not among the inputs (give its log too to see both sides).`,
        rows.flatMap((r) => r.intervals.slice(0, 3).map((iv) => iv.evidence[0])).slice(0, 10),
      ),
    );
  }
}

function selfMembers(ctx: FindingsContext, out: Finding[]): void {
  const byObserver = groupBy(ctx.membership, (r) => (r.resolved && r.member === r.observer && r.intervals.length > 0 ? r.observer : undefined));
  for (const [observer, rows] of byObserver) {
    const ivs = rows.flatMap((r) => r.intervals).sort((a, b) => (a.fromMs ?? a.toMs ?? 0) - (b.fromMs ?? b.toMs ?? 0));
    const iv = ivs[0];
    const addrs = rows.map((r) => r.memberAddress);
    out.push(
      finding(
        'self-member',
        'warning',
        observer,
        iv.fromMs ?? iv.toMs,
        iv.from ?? iv.to,
        `${observer}'s log lists its own address${addrs.length > 1 ? 'es' : ''} ${addrs.join(', ')} as another member: two JVMs are writing to the same log (a second Tomcat started from the same CATALINA_BASE before the first one stopped), or two nodes share one address. The node's runs and views in this log are mixed up.`,
        ivs.slice(0, 5).map((x) => x.evidence[0]),
      ),
    );
  }
}
