// The dashboard on a snapshot computed by the real ClusterModel from the node-loss events
// (the same events as the hand-built fixture), rather than on the hand-built snapshot.

import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ClusterModel } from '../../src/core/model/cluster-model.js';
import { App } from '../../src/ui/app.js';
import { formatAtOffset } from '../../src/ui/utils/format-time.js';
import { formatDuration } from '../../src/ui/utils/format-duration.js';
import { sortFindings } from '../../src/ui/utils/sort-findings.js';
import { getEvidenceText, staticSource, synthesisedEvents } from '../fixtures/ui/synthesised-snapshot.js';
import { KEY } from './helpers/keys.js';
import { tick, waitForFrame } from './helpers/wait-for-frame.js';

const utc = (ms: number): string => formatAtOffset(ms, 0);

function modelSnapshot() {
  const model = new ClusterModel({ nodes: [{ name: 'tomcat1' }, { name: 'tomcat2' }, { name: 'tomcat3' }] });
  const events = synthesisedEvents();
  for (const e of events) model.apply(e);
  return { snapshot: model.snapshot(), events };
}

describe('dashboard on a ClusterModel snapshot (node-loss)', () => {
  it('shows the model’s runs, membership marks, latency and findings', async () => {
    const { snapshot, events } = modelSnapshot();
    const r = render(<App source={staticSource(snapshot, events)} live={false} rows={40} formatTime={utc} getEvidenceText={getEvidenceText} />);
    try {
      const frame = await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
      const rows = frame.split('\n');
      const t2 = rows.findIndex((l) => l.startsWith('tomcat2'));
      // tomcat2 killed (!), down (gap), restarted and stopped.
      expect(rows[t2]).toMatch(/\[═*! +\[═+\]/);
      // tomcat1 saw tomcat2 join, leave after send failures (?), and rejoin.
      const t1 = rows.findIndex((l) => l.startsWith('tomcat1'));
      expect(rows[t1 + 1]).toMatch(/^ {2}tomcat2 +─*\+━+\?─+\+━+/);
      const o = snapshot.latency.overall;
      expect(o.count).toBe(3);
      expect(frame).toContain(`latency n=${o.count} p50 ${formatDuration(o.p50)} p95 ${formatDuration(o.p95)} max ${formatDuration(o.max)} timeouts ${o.timeouts}`);

      r.stdin.write(KEY.tab);
      await tick();
      r.stdin.write(KEY.tab);
      const findings = await waitForFrame(r.lastFrame, (f) => /▶(ERROR|WARN |INFO )/.test(f));
      const sorted = sortFindings(snapshot.findings);
      expect(sorted.length).toBeGreaterThan(0);
      const positions = sorted.map((f) => findings.indexOf(`${utc(f.timeMs!)} ${f.node} ${f.kind}:`));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      r.stdin.write(KEY.enter);
      const open = await waitForFrame(r.lastFrame, (f) => f.includes('evidence ('));
      for (const ref of sorted[0].evidence.slice(0, 2)) expect(open).toContain(ref);
    } finally {
      r.unmount();
    }
  });
});
