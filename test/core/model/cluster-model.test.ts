import { describe, expect, it } from 'vitest';
import { ClusterModel } from '../../../src/core/model/cluster-model.js';
import { LensError } from '../../../src/core/errors.js';
import { ev, merged } from './corpus-lines.js';

// node-loss: tomcat2 SIGKILLed at 15:07:59.043 (truth.json), restarted at 15:08:22.907.
const T1 = 'node-loss/tomcat1/catalina.out';
const T2 = 'node-loss/tomcat2/catalina.out';
const T3 = 'node-loss/tomcat3/catalina.out';
const KILL_MS = 1795705679043;

function nodeLoss() {
  return merged([
    ev('tomcat1', T1, 1, 'server-version'),
    ev('tomcat1', T1, 40, 'receiver-bound'),
    ev('tomcat1', T1, 44, 'state-transfer-skipped'),
    ev('tomcat1', T1, 48, 'server-started', { durationMs: 739 }),
    ev('tomcat1', T1, 50, 'member-added'),
    ev('tomcat1', T1, 51, 'member-added'),
    ev('tomcat1', T1, 52, 'send-failed'),
    ev('tomcat1', T1, 53, 'member-disappeared'),
    ev('tomcat1', T1, 54, 'member-added'),
    ev('tomcat1', T1, 55, 'member-suspect', { verdict: 'alive' }),
    ev('tomcat1', T1, 56, 'server-stopping'),
    ev('tomcat2', T2, 1, 'server-version'),
    ev('tomcat2', T2, 40, 'receiver-bound'),
    ev('tomcat2', T2, 42, 'member-added'),
    ev('tomcat2', T2, 46, 'state-transfer-requested'),
    ev('tomcat2', T2, 47, 'state-transfer-received'),
    ev('tomcat2', T2, 51, 'server-started', { durationMs: 840 }),
    ev('tomcat2', T2, 52, 'member-added'),
    ev('tomcat2', T2, 53, 'server-version'),
    ev('tomcat2', T2, 92, 'receiver-bound'),
    ev('tomcat2', T2, 94, 'member-added'),
    ev('tomcat2', T2, 95, 'member-added'),
    ev('tomcat2', T2, 99, 'state-transfer-requested'),
    ev('tomcat2', T2, 100, 'state-transfer-received'),
    ev('tomcat2', T2, 104, 'server-started'),
    ev('tomcat2', T2, 105, 'member-disappeared'),
    ev('tomcat2', T2, 106, 'server-stopping'),
    ev('tomcat3', T3, 1, 'server-version'),
    ev('tomcat3', T3, 40, 'receiver-bound'),
    ev('tomcat3', T3, 42, 'member-added'),
    ev('tomcat3', T3, 43, 'member-added'),
    ev('tomcat3', T3, 47, 'state-transfer-requested'),
    ev('tomcat3', T3, 48, 'state-transfer-received'),
    ev('tomcat3', T3, 52, 'server-started'),
    ev('tomcat3', T3, 53, 'member-disappeared'),
    ev('tomcat3', T3, 54, 'member-added'),
    ev('tomcat3', T3, 55, 'member-disappeared'),
    ev('tomcat3', T3, 56, 'member-disappeared'),
    ev('tomcat3', T3, 57, 'server-stopping'),
  ]);
}

function build(events = nodeLoss(), opts = {}) {
  const m = new ClusterModel({ nodes: [{ name: 'tomcat1' }, { name: 'tomcat2' }, { name: 'tomcat3' }], version: '9.9.9', ...opts });
  for (const e of events) m.apply(e);
  return m;
}

describe('ClusterModel on node-loss (real lines)', () => {
  it('takes node addresses from receiver-bound and splits tomcat2 into two runs', () => {
    const s = build().snapshot();
    expect(s.version).toBe('9.9.9');
    expect(s.nodes.map((n) => [n.name, n.address, n.addressSource])).toEqual([
      ['tomcat1', '127.0.0.11:4001', 'receiver-bound'],
      ['tomcat2', '127.0.0.12:4002', 'receiver-bound'],
      ['tomcat3', '127.0.0.13:4003', 'receiver-bound'],
    ]);
    const t2 = s.nodes[1];
    expect(t2.runs.map((r) => r.endReason)).toEqual(['restarted', 'stopped']);
    expect(t2.runs[0].end).toBe('2026-11-26T15:07:51.516Z');
    expect(s.nodes[0].runs.map((r) => r.endReason)).toEqual(['stopped']);
  });

  it('closes each survivor interval for the killed node by member-disappeared, within the detection window after the kill', () => {
    const s = build().snapshot();
    for (const observer of ['tomcat1', 'tomcat3']) {
      const row = s.membership.find((r) => r.observer === observer && r.member === 'tomcat2')!;
      expect(row.resolved).toBe(true);
      const lost = row.intervals[0];
      expect(lost.endReason).toBe('disappeared');
      expect(lost.toMs! - KILL_MS).toBeGreaterThan(0);
      expect(lost.toMs! - KILL_MS).toBeLessThan(10_000);
      expect(lost.detection).toMatch(observer === 'tomcat1' ? /^send failed$/ : /^expired, no failure-detector record$/);
      // last sign of life: tomcat2's last record of its first run (15:07:51.516)
      expect(lost.lastSignOfLifeMs).toBe(Date.UTC(2026, 10, 26, 15, 7, 51, 516));
      expect(lost.detectionMs).toBe(lost.toMs! - lost.lastSignOfLifeMs!);
      // the restarted tomcat2 is a rejoin, not a flap
      expect(row.flaps).toBe(0);
      expect(row.rejoins).toBe(1);
    }
  });

  it("ends the dead run's own view where its log ends (observer-stopped), and graceful stops by shutdown notice", () => {
    const s = build().snapshot();
    const t2sees1 = s.membership.find((r) => r.observer === 'tomcat2' && r.member === 'tomcat1')!;
    expect(t2sees1.intervals.map((i) => i.endReason)).toEqual(['observer-stopped', 'disappeared']);
    expect(t2sees1.intervals[0].to).toBe('2026-11-26T15:07:51.516Z');
    expect(t2sees1.intervals[1].detection).toBe('shutdown notice');
    const t1sees3 = s.membership.find((r) => r.observer === 'tomcat1' && r.member === 'tomcat3')!;
    expect(t1sees3.intervals[0].endReason).toBe('observer-stopped');
  });

  it('pairs transfers with outcomes and resolves providers', () => {
    const s = build().snapshot();
    expect(s.transfers.map((t) => [t.node, t.provider, t.outcome, t.durationMs])).toEqual([
      ['tomcat1', undefined, 'skipped', undefined],
      ['tomcat2', 'tomcat1', 'received', 107],
      ['tomcat3', 'tomcat1', 'received', 105],
      ['tomcat2', 'tomcat3', 'received', 106],
    ]);
    expect(s.transfers[1]).toMatchObject({ manager: 'localhost#/clusterapp', member: '127.0.0.11:4001', timeoutSeconds: 60, outcomeEvidence: expect.stringMatching(/tomcat2\/catalina.out:47$/) });
    expect(s.latency.overall).toEqual({ count: 3, min: 105, p50: 106, p95: 107, max: 107, timeouts: 0 });
    expect(s.latency.byProvider.tomcat1.count).toBe(2);
    expect(s.latency.byRequester.tomcat2.count).toBe(2);
    expect(s.latency.byManager['localhost#/clusterapp'].count).toBe(3);
  });

  it('reports the loss, the send failure, and nothing that did not happen', () => {
    const s = build().snapshot();
    const kinds = s.findings.map((f) => f.kind).sort();
    expect(kinds).toEqual(['member-lost', 'send-failed']);
    const lost = s.findings.find((f) => f.kind === 'member-lost')!;
    expect(lost.node).toBe('tomcat2');
    expect(lost.message).toMatch(/tomcat3 at .*; tomcat1 at /);
    // Every time in the prose is written one way (the first suspicion's too), none as ISO 8601.
    expect(lost.message).toMatch(/First suspicion: .* at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \(/);
    expect(lost.message).not.toMatch(/\d\dT\d\d:/);
    expect(lost.evidence).toHaveLength(2);
    const send = s.findings.find((f) => f.kind === 'send-failed')!;
    expect(send.message).toContain('tomcat2 (127.0.0.12:4002)');
    expect(send.evidence[0]).toMatch(/tomcat1\/catalina.out:52$/);
  });

  it('counts events by type and accounts inputs', () => {
    const m = build();
    m.updateInput({ file: T1, node: 'tomcat1', bytes: 10875, lines: 62, recordLines: 62, records: 62, unparsed: 0, invalidUtf8: 0, truncatedLines: 0, unrecognisedCluster: 1, events: { 'member-added': 3 } });
    m.updateInput({ file: T1, node: 'tomcat1', bytes: 10875, lines: 62, recordLines: 62, records: 61, unparsed: 0, invalidUtf8: 0, truncatedLines: 0, unrecognisedCluster: 2, events: { 'member-added': 3 } });
    const s = m.snapshot();
    expect(s.counts).toMatchObject({ inputs: 1, lines: 62, records: 61, unrecognisedCluster: 2 });
    expect(s.counts.events['member-added']).toBe(10);
    expect(s.counts.events['server-version']).toBe(4);
    expect(s.span.from).toBe('2026-11-26T15:07:48.124Z');
  });

  it('is a pure read: two snapshots are equal and do not share state', () => {
    const m = build();
    const a = m.snapshot();
    a.membership[0].intervals.length = 0;
    expect(m.snapshot()).toEqual(build().snapshot());
  });

  it('bounds the members it tracks and says so in notes', () => {
    const s = build(nodeLoss(), { maxMembers: 2 }).snapshot();
    expect(s.membership.length).toBeLessThanOrEqual(2);
    expect(s.notes.join('\n')).toMatch(/More than 2 membership rows/);
  });

  it('validates options up front', () => {
    expect(() => new ClusterModel({ slowMs: -1 })).toThrow(LensError);
    expect(() => new ClusterModel({ flapCount: 0 })).toThrow(/flapCount/);
    expect(() => new ClusterModel({ nodes: [{ name: 'a', address: 'nope' }] })).toThrow(/host:port/);
    expect(() => new ClusterModel({ nodes: [{ name: 'a' }, { name: 'a' }] })).toThrow(/twice/);
  });

  it('ignores malformed events without throwing', () => {
    const m = build();
    m.apply(null as never);
    m.apply({ type: 'member-added', node: 'tomcat1', file: 'x', line: 1, message: '', member: { host: 5 } as never });
    expect(m.snapshot().notes.join(' ')).toMatch(/1 malformed/);
  });
});
