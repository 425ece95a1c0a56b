import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, MembershipRow, NodeInfo } from '../../src/core/snapshot.js';
import { App } from '../../src/ui/app.js';
import { formatAtOffset } from '../../src/ui/utils/format-time.js';
import { staticSource, synthesisedSnapshot } from '../fixtures/ui/synthesised-snapshot.js';
import { KEY } from './helpers/keys.js';
import { tick, waitForFrame } from './helpers/wait-for-frame.js';

const utc = (ms: number): string => formatAtOffset(ms, 0);

function emptySnapshot(): ClusterSnapshot {
  const none = { count: 0, timeouts: 0 };
  return {
    version: '1',
    span: {},
    live: true,
    inputs: [],
    nodes: [],
    membership: [],
    transfers: [],
    latency: { overall: none, byRequester: {}, byProvider: {}, byManager: {} },
    findings: [],
    counts: { inputs: 0, bytes: 0, lines: 0, records: 0, recordLines: 0, unparsed: 0, invalidUtf8: 0, truncatedLines: 0, unrecognisedCluster: 0, events: {} },
    notes: [],
  };
}

describe('dashboard edge cases', () => {
  it('renders an empty live snapshot (nothing read yet) in every pane', async () => {
    const r = render(<App source={staticSource(emptySnapshot(), [])} live rows={30} formatTime={utc} now={() => 0} />);
    try {
      let frame = await waitForFrame(r.lastFrame, (f) => f.includes('LIVE'));
      expect(frame).toContain('no timed events');
      expect(frame).toContain('No state transfers recorded.');
      for (const key of ['+', KEY.right, 'n', KEY.tab, KEY.down, KEY.tab, KEY.enter]) {
        r.stdin.write(key);
        await tick(10);
      }
      frame = await waitForFrame(r.lastFrame, (f) => f.includes('No findings.'));
      r.stdin.write(KEY.tab);
      frame = await waitForFrame(r.lastFrame, (f) => f.includes('No events yet.'));
    } finally {
      r.unmount();
    }
  });

  it('renders a large cluster within the terminal, scrolling the timeline', async () => {
    const base = synthesisedSnapshot();
    const n = 40;
    const nodes: NodeInfo[] = [];
    const membership: MembershipRow[] = [];
    for (let i = 0; i < n; i++) {
      nodes.push({ ...base.nodes[0], name: `node${String(i).padStart(2, '0')}`, address: `10.0.0.${i}:4000` });
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        membership.push({ ...base.membership[0], observer: `node${String(i).padStart(2, '0')}`, member: `node${String(j).padStart(2, '0')}`, memberAddress: `10.0.0.${j}:4000` });
      }
    }
    const big = { ...base, nodes, membership };
    const started = Date.now();
    const r = render(<App source={staticSource(big, [])} live={false} rows={40} formatTime={utc} />);
    try {
      const frame = await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(frame.split('\n').length).toBeLessThanOrEqual(39);
      expect(frame).toMatch(/rows 1-\d+\/1600 ↓/);
      r.stdin.write(KEY.down);
      await waitForFrame(r.lastFrame, (f) => /rows 2-\d+\/1600/.test(f));
    } finally {
      r.unmount();
    }
  });
});
