// The live model's memory is bounded: 1,000,000 events built by repeating REAL events (the
// node-loss scenario parsed with readEvents, replayed with shifted times, so every cycle is a new
// restart, join, loss and transfer) leave at most `maxHistory` entries in each history list.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ClusterModel } from '../../../src/core/model/cluster-model.js';
import type { ClusterEvent } from '../../../src/core/types.js';
import { readEvents } from '../../../src/pipeline/read-events.js';
import { CORPUS } from './corpus-lines.js';

const SCENARIO = join(CORPUS, 'node-loss');
const TOTAL = 1_000_000;

let cycle: ClusterEvent[] = [];
let spanMs = 0;

beforeAll(async () => {
  const nodes = readdirSync(SCENARIO).filter((d) => d.startsWith('tomcat')).sort();
  const events: ClusterEvent[] = [];
  for (const node of nodes) for await (const ev of readEvents(join(SCENARIO, node, 'catalina.out'), { node, tz: 'UTC' })) events.push(ev);
  events.sort((a, b) => a.timeMs! - b.timeMs!);
  cycle = events;
  spanMs = events[events.length - 1].timeMs! - events[0].timeMs! + 60_000;
});

/** Applies `total` events: the cycle again and again, each round shifted by its span. */
function replay(model: ClusterModel, total: number): void {
  for (let i = 0; i < total; i++) {
    const round = Math.floor(i / cycle.length);
    const ev = cycle[i % cycle.length];
    const timeMs = ev.timeMs! + round * spanMs;
    model.apply({ ...ev, timeMs, time: new Date(timeMs).toISOString(), line: ev.line + round * 1000 });
  }
}

describe('live model history bound', () => {
  test('the replayed cycle is real: node-loss yields restarts, joins, losses and transfers', () => {
    const types = new Set(cycle.map((e) => e.type));
    for (const t of ['server-version', 'receiver-bound', 'member-added', 'member-disappeared', 'state-transfer-requested', 'server-stopping']) expect(types).toContain(t);
    expect(cycle.length).toBeGreaterThan(30);
  });

  test('1,000,000 events: every history holds at most maxHistory entries, drops are counted and noted, snapshot stays fast', () => {
    const model = new ClusterModel({ live: true });
    replay(model, TOTAL);
    const sizes = model.historySizes();
    expect(sizes.bound).toBe(2000); // the live default
    expect(sizes.maxTransfers).toBe(2000);
    const h = sizes.held;
    expect(h.maxRunsPerNode).toBeLessThanOrEqual(2000);
    expect(h.binds).toBeLessThanOrEqual(2000);
    expect(h.maxIntervalsPerRow).toBeLessThanOrEqual(2000);
    expect(h.maxFlapsPerRow).toBeLessThanOrEqual(2000);
    expect(h.failures).toBeLessThanOrEqual(2000);
    expect(h.transfers).toBeLessThanOrEqual(2000);
    expect(h.claims).toBeLessThanOrEqual(2000 * 3);
    expect(h.rows).toBeLessThanOrEqual(20); // 3 nodes seeing each other: a handful of observer/member rows
    // The bound was reached (the lists are full, not empty) and what went was counted.
    expect(h.maxRunsPerNode).toBe(2000);
    expect(h.maxIntervalsPerRow).toBe(2000);
    expect(h.transfers).toBe(2000);
    const rounds = Math.floor(TOTAL / cycle.length);
    expect(sizes.dropped.runs).toBeGreaterThan(rounds); // several runs per node per round
    expect(sizes.dropped.intervals).toBeGreaterThan(0);
    expect(sizes.dropped.transfers).toBeGreaterThan(0);

    const t0 = performance.now();
    const snap = model.snapshot();
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(3000); // ~100-300 ms on an idle machine; loose for a loaded one
    expect(snap.nodes.every((n) => n.runs.length <= 2000)).toBe(true);
    expect(snap.transfers.length).toBeLessThanOrEqual(2000);
    expect(snap.membership.every((r) => r.intervals.length <= 2000)).toBe(true);
    expect(snap.counts.events['member-added']).toBeGreaterThan(10_000); // counts cover every event
    const notes = snap.notes.join('\n');
    expect(notes).toMatch(/^\d+ older runs were dropped \(bound of 2000 per node, maxHistory\)/m);
    expect(notes).toMatch(/^\d+ older membership intervals were dropped \(bound of 2000 per member row, maxHistory\)/m);
    expect(notes).toMatch(/^\d+ older transfers were dropped \(bound of 2000, maxTransfers\)/m);
    // The findings still describe the most recent history: the last round's loss is there.
    const lastLoss = snap.findings.filter((f) => f.kind === 'member-lost').pop();
    expect(lastLoss?.timeMs).toBeGreaterThan(cycle[0].timeMs! + (rounds - 1) * spanMs);
  }, 120_000);

  test('findings on a bounded history are findings of the full history (dropping one side of a view adds none)', () => {
    const rounds = 60;
    const full = new ClusterModel({ live: true, maxHistory: 100_000 });
    const bounded = new ClusterModel({ live: true, maxHistory: 25 });
    replay(full, cycle.length * rounds);
    replay(bounded, cycle.length * rounds);
    expect(bounded.historySizes().dropped.intervals).toBeGreaterThan(0);
    const key = (f: { kind: string; node?: string; timeMs?: number; message: string }) => `${f.kind} ${f.node} ${f.timeMs} ${f.message}`;
    const fullKeys = new Set(full.snapshot().findings.map(key));
    const kept = bounded.snapshot().findings.filter((f) => ['views-disagree', 'member-lost', 'flapping-member', 'state-transfer-timeout'].includes(f.kind));
    expect(kept.length).toBeGreaterThan(0);
    for (const f of kept.filter((x) => x.kind === 'views-disagree' || x.kind === 'state-transfer-timeout')) expect(fullKeys).toContain(key(f));
  });

  test('the archive default keeps everything of a normal log (no note, nothing dropped)', () => {
    const model = new ClusterModel({});
    replay(model, cycle.length * 50);
    const sizes = model.historySizes();
    expect(sizes.bound).toBe(10_000);
    expect(Object.values(sizes.dropped).every((n) => n === 0)).toBe(true);
    expect(model.snapshot().notes.join('\n')).not.toMatch(/older .* were dropped/);
  });

  test('a small maxHistory bounds the same way; the bound is validated', () => {
    const model = new ClusterModel({ live: true, maxHistory: 10 });
    replay(model, cycle.length * 40);
    const h = model.historySizes().held;
    expect(h.maxRunsPerNode).toBe(10);
    expect(h.binds).toBe(10);
    expect(h.transfers).toBe(10);
    expect(h.maxIntervalsPerRow).toBeLessThanOrEqual(10);
    expect(() => new ClusterModel({ maxHistory: 0 })).toThrow(/maxHistory/);
  });
});
