import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/snapshot.js';
import { App } from '../../src/ui/app.js';
import type { DashboardData, DashboardSource } from '../../src/ui/types.js';
import { formatAtOffset } from '../../src/ui/utils/format-time.js';
import { synthesisedEvents, synthesisedSnapshot } from '../fixtures/ui/synthesised-snapshot.js';
import { tick, waitForFrame } from './helpers/wait-for-frame.js';

const utc = (ms: number): string => formatAtOffset(ms, 0);

/** A source the test pushes into; counts reads and live subscriptions. */
function pushSource(initial: DashboardData) {
  let data = initial;
  const listeners = new Set<() => void>();
  const source: DashboardSource & { reads: number; listeners: Set<() => void>; push(d: DashboardData): void } = {
    reads: 0,
    listeners,
    getSnapshot() {
      source.reads++;
      return data;
    },
    subscribe(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    push(d) {
      data = d;
      for (const cb of listeners) cb();
    },
  };
  return source;
}

function withFindings(n: number): DashboardData {
  const snapshot = synthesisedSnapshot();
  snapshot.live = true;
  const base = snapshot.findings[1];
  snapshot.findings = Array.from({ length: n }, (_, i): Finding => ({ ...base, message: `finding ${i}` }));
  return { snapshot, events: synthesisedEvents() };
}

describe('useSnapshot', () => {
  it('reads a busy source at most every 250 ms and shows the latest data', async () => {
    const source = pushSource(withFindings(1));
    const r = render(<App source={source} live rows={40} formatTime={utc} />);
    try {
      await waitForFrame(r.lastFrame, (f) => f.includes('1 finding'));
      await tick(300);
      // A burst of 20 updates: one read.
      let before = source.reads;
      for (let i = 2; i <= 21; i++) source.push(withFindings(i));
      let frame = await waitForFrame(r.lastFrame, (f) => f.includes('21 findings'));
      await tick(300);
      expect(source.reads - before).toBe(1);
      // A steady stream of updates every ~5 ms: about one read per 250 ms.
      before = source.reads;
      const started = Date.now();
      for (let i = 22; i <= 80; i++) {
        source.push(withFindings(i));
        await tick(5);
      }
      frame = await waitForFrame(r.lastFrame, (f) => f.includes('80 findings'));
      const elapsed = Date.now() - started;
      expect(frame).toContain('LIVE');
      expect(source.reads - before).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
      expect(source.reads - before).toBeLessThan(59);
    } finally {
      r.unmount();
    }
    expect(source.listeners.size).toBe(0);
  });

  it('picks up data pushed before it subscribed', async () => {
    const source = pushSource(withFindings(1));
    const r = render(<App source={source} live rows={40} formatTime={utc} />);
    source.push(withFindings(7));
    try {
      await waitForFrame(r.lastFrame, (f) => f.includes('7 findings'));
    } finally {
      r.unmount();
    }
  });
});

describe('useSnapshot with a source that appends in place', () => {
  it('shows events appended to the same array, and the source’s own update time', async () => {
    const snapshot = synthesisedSnapshot();
    const events = synthesisedEvents().slice(0, 5);
    const more = synthesisedEvents().slice(5);
    const data: DashboardData = { snapshot, events, lastUpdateMs: Date.parse('2026-11-26T15:09:00Z') };
    const listeners = new Set<() => void>();
    const source: DashboardSource = { getSnapshot: () => data, subscribe: (cb) => (listeners.add(cb), () => listeners.delete(cb)) };
    const r = render(<App source={source} live rows={40} formatTime={utc} />);
    try {
      r.stdin.write('\u001b[Z'); // Shift-Tab: events pane
      await waitForFrame(r.lastFrame, (f) => f.includes('5 events') && f.includes('updated 15:09:00'));
      events.push(...more);
      data.lastUpdateMs = Date.parse('2026-11-26T15:09:05Z');
      for (const cb of listeners) cb();
      const frame = await waitForFrame(r.lastFrame, (f) => f.includes(`${events.length} events`));
      expect(frame).toContain('updated 15:09:05');
    } finally {
      r.unmount();
    }
  });
});
