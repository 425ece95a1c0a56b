// Acceptance (issue 2): on each real scenario, the number of events of each type equals the number of
// matching real lines INDEX.md gives, for every node and every format; every line is accounted for.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectEvents } from '../../src/pipeline/read-events.js';
import type { ClusterEvent } from '../../src/core/types.js';
import { CORPUS, physicalLines, readIndexCounts } from '../helpers/corpus.js';

/** INDEX.md kind → how to count it among our events. */
const KIND_TO_EVENT: Record<string, (ev: ClusterEvent) => boolean> = {
  member_added: (e) => e.type === 'member-added',
  member_disappeared: (e) => e.type === 'member-disappeared',
  requesting_state: (e) => e.type === 'state-transfer-requested',
  state_received: (e) => e.type === 'state-transfer-received',
  state_timeout: (e) => e.type === 'state-transfer-timeout',
  no_members: (e) => e.type === 'state-transfer-skipped',
  register_manager: (e) => e.type === 'manager-registered',
  receiver_bound: (e) => e.type === 'receiver-bound',
  server_startup: (e) => e.type === 'server-started',
  mcast_sleep: (e) => e.type === 'membership-wait',
  mcast_done: (e) => e.type === 'membership-established',
  fd_verify: (e) => e.type === 'member-verify',
  fd_member_disappeared: (e) => e.type === 'member-verified' && e.verdict === 'disappeared',
  fd_suspect_alive: (e) => e.type === 'member-suspect' && e.verdict === 'alive',
  member_send_suspect: (e) => e.type === 'send-failed' && String(e.reason).startsWith('suspect'),
  cluster_start: (e) => e.type === 'cluster-starting',
  cluster_start_failed: (e) => e.type === 'cluster-start-failed',
  server_version: (e) => e.type === 'server-version',
  shutdown_command: (e) => e.type === 'server-stopping' && e.stage === 'shutdown-command',
};

const scenarios = readIndexCounts();

describe.each(scenarios)('$scenario', ({ scenario, nodes, counts }) => {
  test.each(nodes)('%s: event counts match INDEX.md and every line is accounted for', async (node) => {
    const file = join(CORPUS, scenario, node, 'catalina.out');
    const { events, inputs } = await collectEvents(file, { node, tz: 'UTC' });
    for (const [kind, perNode] of Object.entries(counts)) {
      const match = KIND_TO_EVENT[kind];
      if (!match) continue;
      expect({ kind, n: events.filter(match).length }).toEqual({ kind, n: perNode[node] });
    }
    const s = inputs[0];
    expect(s.lines).toBe(physicalLines(file));
    expect(s.recordLines + s.unparsed).toBe(s.lines);
    expect(events.every((e) => e.node === node)).toBe(true);
  });
});

test('INDEX.md tables were found for every scenario', () => {
  expect(scenarios.length).toBeGreaterThanOrEqual(14);
});
