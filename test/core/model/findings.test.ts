import { describe, expect, it } from 'vitest';
import { ClusterModel } from '../../../src/core/model/cluster-model.js';
import type { ClusterEvent } from '../../../src/core/types.js';
import { ev, merged, stateTimeoutEvents } from './corpus-lines.js';

function snap(events: ClusterEvent[], nodes: string[], opts = {}) {
  const m = new ClusterModel({ nodes: nodes.map((name) => ({ name })), ...opts });
  for (const e of merged(events)) m.apply(e);
  return m.snapshot();
}

describe('state-transfer timeout (state-timeout scenario, real lines)', () => {
  const events = stateTimeoutEvents();

  it('names the paused node as provider and says its log shows nothing (paused or hung)', () => {
    const s = snap(events, ['tomcat1', 'tomcat2']);
    const t = s.transfers.find((x) => x.node === 'tomcat2')!;
    expect(t).toMatchObject({ provider: 'tomcat1', outcome: 'timeout', durationMs: 5015, timeoutSeconds: 5 });
    const f = s.findings[0];
    expect(f.kind).toBe('state-transfer-timeout');
    expect(f.severity).toBe('error');
    expect(f.node).toBe('tomcat2');
    expect(f.message).toContain('tomcat1 (127.0.0.11:4001)');
    expect(f.message).toMatch(/shows nothing between the request and the timeout.*paused or hung/);
    expect(f.evidence).toEqual([expect.stringMatching(/tomcat2\/catalina.out:46$/), expect.stringMatching(/tomcat2\/catalina.out:47$/)]);
    expect(s.latency.overall).toMatchObject({ count: 0, timeouts: 1 });
    expect(s.latency.byProvider.tomcat1.timeouts).toBe(1);
  });

  it('does not call 8.7 s of one-sided view a disagreement (grace 30 s), but does with a 5 s grace', () => {
    expect(snap(events, ['tomcat1', 'tomcat2']).findings.map((f) => f.kind)).not.toContain('views-disagree');
    const f = snap(events, ['tomcat1', 'tomcat2'], { disagreeGraceMs: 5000 }).findings.filter((x) => x.kind === 'views-disagree');
    expect(f).toHaveLength(1);
    expect(f[0].node).toBe('tomcat2');
    expect(f[0].message).toMatch(/^tomcat2 had tomcat1 in its cluster view for 8\.\d s/);
  });

  it('with the provider not an input, says its side cannot be checked', () => {
    const s = snap(events.filter((e) => e.node === 'tomcat2'), ['tomcat2']);
    expect(s.findings.find((f) => f.kind === 'state-transfer-timeout')!.message).toContain('127.0.0.11:4001 is not one of the inputs');
    expect(s.findings.find((f) => f.kind === 'unknown-member')!.severity).toBe('info');
  });
});

describe('mutual state request (isaiasa Tomcat 8.0.33 pair, real lines)', () => {
  const A = 'public/isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log';
  const B = 'public/isaiasa-tomcat8.0.33-tomcat1-catalina.2019-05-21.log';
  const events = [
    ev('tomcat0', A, 6842, 'server-version'),
    ev('tomcat0', A, 6868, 'receiver-bound'),
    ev('tomcat0', A, 6873, 'member-added'),
    ev('tomcat0', A, 6883, 'state-transfer-requested'),
    ev('tomcat0', A, 6884, 'state-transfer-timeout'),
    ev('tomcat0', A, 6885, 'state-transfer-message-dropped'),
    ev('tomcat1', B, 7414, 'server-version'),
    ev('tomcat1', B, 7440, 'receiver-bound'),
    ev('tomcat1', B, 7443, 'member-added'),
    ev('tomcat1', B, 7455, 'state-transfer-requested'),
    ev('tomcat1', B, 7456, 'state-transfer-timeout'),
    ev('tomcat1', B, 7457, 'state-transfer-message-dropped'),
  ];

  it('resolves localhost/127.0.0.1 receivers and flags both nodes asking each other', () => {
    const s = snap(events, ['tomcat0', 'tomcat1']);
    expect(s.nodes.map((n) => n.address)).toEqual(['127.0.0.1:45564', '127.0.0.1:45565']);
    expect(s.transfers.map((t) => [t.node, t.provider, t.outcome, t.durationMs])).toEqual([
      ['tomcat0', 'tomcat1', 'timeout', 60144],
      ['tomcat1', 'tomcat0', 'timeout', 60040],
    ]);
    const mutual = s.findings.filter((f) => f.kind === 'mutual-state-request');
    expect(mutual).toHaveLength(1);
    expect(mutual[0]).toMatchObject({ severity: 'error', node: 'tomcat0' });
    expect(mutual[0].message).toMatch(/tomcat0 and tomcat1 asked each other .*79 ms apart.*both waited the full timeout/);
    expect(mutual[0].evidence).toHaveLength(4);
    // each timeout also names a provider that was itself busy logging, not paused
    const timeouts = s.findings.filter((f) => f.kind === 'state-transfer-timeout');
    expect(timeouts).toHaveLength(2);
  });
});

describe('flapping (flapping-readtest: tomcat3 SIGSTOPped 3 times, real lines)', () => {
  const F = (n: number) => `flapping-readtest/tomcat${n}/catalina.out`;
  const events = [
    ev('tomcat1', F(1), 1, 'server-version'),
    ev('tomcat1', F(1), 40, 'receiver-bound'),
    ...[50, 51].map((l) => ev('tomcat1', F(1), l, 'member-added')),
    ...[52, 54, 56].map((l) => ev('tomcat1', F(1), l, 'member-disappeared')),
    ...[53, 55, 57].map((l) => ev('tomcat1', F(1), l, 'member-added')),
    ev('tomcat1', F(1), 58, 'server-stopping'),
    ev('tomcat2', F(2), 1, 'server-version'),
    ev('tomcat2', F(2), 40, 'receiver-bound'),
    ...[42, 52, 54, 56, 58].map((l) => ev('tomcat2', F(2), l, 'member-added')),
    ...[53, 55, 57, 59].map((l) => ev('tomcat2', F(2), l, 'member-disappeared')),
    ev('tomcat2', F(2), 60, 'server-stopping'),
    ev('tomcat3', F(3), 1, 'server-version'),
    ev('tomcat3', F(3), 40, 'receiver-bound'),
    ...[42, 43].map((l) => ev('tomcat3', F(3), l, 'member-added')),
    ...[53, 54].map((l) => ev('tomcat3', F(3), l, 'member-disappeared')),
    ev('tomcat3', F(3), 55, 'server-stopping'),
  ];

  it('counts three flaps per observer and reports flapping', () => {
    const s = snap(events, ['tomcat1', 'tomcat2', 'tomcat3']);
    for (const o of ['tomcat1', 'tomcat2']) {
      const row = s.membership.find((r) => r.observer === o && r.member === 'tomcat3')!;
      expect(row.flaps).toBe(3);
      expect(row.intervals.map((i) => i.endReason)).toEqual(['disappeared', 'disappeared', 'disappeared', 'observer-stopped']);
    }
    const flaps = s.findings.filter((f) => f.kind === 'flapping-member');
    expect(flaps.map((f) => f.node).sort()).toEqual(['tomcat1', 'tomcat2']);
    expect(flaps[0].message).toMatch(/lost and re-added tomcat3 \(127\.0\.0\.13:4003\) 3 times/);
    expect(snap(events, ['tomcat1', 'tomcat2', 'tomcat3'], { flapCount: 4 }).findings.some((f) => f.kind === 'flapping-member')).toBe(false);
  });
});

describe('failure-detector path (multicast scenario: tomcat3 SIGKILLed, real lines)', () => {
  const M = 'multicast/tomcat1/catalina.out';
  it('records verify → verified disappeared and the multicast member host from {127, 0, 0, 13}', () => {
    const events = [
      ev('tomcat1', M, 1, 'server-version'),
      ev('tomcat1', M, 40, 'receiver-bound'),
      ev('tomcat1', M, 58, 'member-added'),
      ev('tomcat1', M, 59, 'member-verify'),
      ev('tomcat1', M, 60, 'member-verified', { verdict: 'disappeared' }),
      ev('tomcat1', M, 61, 'member-disappeared'),
    ];
    const s = snap(events, ['tomcat1']);
    const row = s.membership[0];
    expect(row.memberAddress).toBe('127.0.0.13:4003');
    expect(row.resolved).toBe(false);
    expect(row.intervals[0].detection).toBe('verify → verified disappeared');
    expect(row.intervals[0].suspected).toMatch(/^verify at /);
  });
});

describe('seed log (icicimov, Tomcat 7 on EC2, two-line JUL)', () => {
  const I = 'public/icicimov-tomcat7-aws-static.log';
  it('gives one member and one 143 ms transfer from it', () => {
    const events = [
      ev('node', I, 2, 'member-added'),
      ev('node', I, 4, 'manager-registered'),
      ev('node', I, 10, 'state-transfer-requested'),
      ev('node', I, 12, 'state-transfer-received'),
    ];
    const s = snap(events, ['node']);
    expect(s.membership).toHaveLength(1);
    expect(s.membership[0].memberAddress).toBe('172.31.13.12:4000'); // ip-172-31-13-12 spelled as an address
    expect(s.transfers).toEqual([expect.objectContaining({ node: 'node', manager: 'localhost#/manager', member: '172.31.13.12:4000', outcome: 'received', durationMs: 143 })]);
    expect(s.latency.overall).toEqual({ count: 1, min: 143, p50: 143, p95: 143, max: 143, timeouts: 0 });
  });
});

describe('address resolution over time (yunghun97: addresses move between the two nodes)', () => {
  const N1 = 'public/yunghun97-springboot-tomcat9-node1-rollingfile.log';
  const N2 = 'public/yunghun97-springboot-tomcat9-node2-rollingfile.log';
  it('resolves 172.16.20.154:5000 to node2 at 14:35 and to node1 at 15:03', () => {
    const events = [
      ev('node2', N2, 1193, 'receiver-bound'),
      ev('node1', N1, 23, 'cluster-starting'),
      ev('node1', N1, 24, 'receiver-bound'),
      ev('node1', N1, 27, 'member-added'),
      ev('node1', N1, 36, 'state-transfer-requested'),
      ev('node1', N1, 37, 'state-transfer-received'),
      ev('node1', N1, 251, 'receiver-bound'),
      ev('node2', N2, 1406, 'cluster-starting'),
      ev('node2', N2, 1407, 'receiver-bound'),
      ev('node2', N2, 1410, 'member-added'),
      ev('node2', N2, 1419, 'state-transfer-requested'),
      ev('node2', N2, 1420, 'state-transfer-received'),
    ];
    const s = snap(events, ['node1', 'node2']);
    expect(s.transfers.map((t) => [t.node, t.member, t.provider, t.durationMs])).toEqual([
      ['node1', '172.16.20.154:5000', 'node2', 107],
      ['node2', '172.16.20.154:5000', 'node1', 105],
    ]);
    expect(s.nodes.find((n) => n.name === 'node1')!.addresses).toEqual(['127.0.0.1:5000', '172.16.20.154:5000']);
    expect(s.findings.filter((f) => f.kind === 'unknown-member')).toEqual([]);
  });
});
