import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { formatAtOffset } from '../../src/ui/utils/format-time.js';
import { formatDuration } from '../../src/ui/utils/format-duration.js';
import { getEvidenceText, staticSource, synthesisedEvents, synthesisedSnapshot } from '../fixtures/ui/synthesised-snapshot.js';
import { KEY } from './helpers/keys.js';
import { renderSized, type SizedRender } from './helpers/render-sized.js';
import { tick, waitForFrame } from './helpers/wait-for-frame.js';

const utc = (ms: number): string => formatAtOffset(ms, 0);
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function renderApp(props: Partial<Parameters<typeof App>[0]> = {}) {
  const r = render(<App source={staticSource()} live={false} rows={40} getEvidenceText={getEvidenceText} formatTime={utc} {...props} />);
  cleanups.push(() => r.unmount());
  return r;
}

function sized(props: Partial<Parameters<typeof App>[0]>, size: { columns?: number; rows?: number; isTTY?: boolean }): SizedRender {
  const r = renderSized(<App source={staticSource()} live={false} formatTime={utc} getEvidenceText={getEvidenceText} {...props} />, size);
  cleanups.push(() => r.instance.unmount());
  return r;
}

async function press(r: { stdin: { write(s: string): void } }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    r.stdin.write(k);
    await tick();
  }
}

const lines = (frame: string): string[] => frame.split('\n');

describe('dashboard', () => {
  it('shows the header: archived marker, span, nodes with addresses and runs, inputs, counts', async () => {
    const { lastFrame } = renderApp();
    const frame = await waitForFrame(lastFrame, (f) => f.includes('ARCHIVED'));
    const [first, nodes, inputs] = lines(frame);
    expect(first).toContain('catalina-lens');
    expect(first).toContain('15:07:48 → 15:08:33 (45s)');
    expect(first).toContain('4 findings (1 err, 2 warn)');
    expect(nodes).toContain('tomcat1 127.0.0.11:4001 1 run');
    expect(nodes).toContain('tomcat2 127.0.0.12:4002 2 runs');
    expect(nodes).toContain('tomcat3 127.0.0.13:4003 1 run');
    expect(inputs).toContain('tomcat2: tomcat2/catalina.out');
  });

  it('shows the live marker with the last update time', async () => {
    const updated = Date.parse('2026-11-26T15:08:40.000Z');
    const { lastFrame } = renderApp({ live: true, now: () => updated });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('LIVE'));
    expect(lines(frame)[0]).toContain('● LIVE · updated 15:08:40');
  });

  it('draws one swimlane per observer with member bars, join/leave marks and clock labels', async () => {
    const { lastFrame } = renderApp();
    const frame = await waitForFrame(lastFrame, (f) => f.includes('Membership'));
    const rows = lines(frame);
    const laneAt = (name: string) => rows.findIndex((l) => l.startsWith(name));
    const t1 = laneAt('tomcat1');
    const t2 = laneAt('tomcat2');
    const t3 = laneAt('tomcat3');
    expect([t1, t2, t3].every((i) => i > 0)).toBe(true);
    expect(t2).toBe(t1 + 3);
    expect(t3).toBe(t2 + 3);
    // tomcat1's view of tomcat2: join, seen, suspected leave, join again.
    expect(rows[t1 + 1]).toMatch(/^ {2}tomcat2 +─*\+━+\?─+\+━+/);
    // tomcat2's own lane: first run killed (!), a gap, second run stopped (]).
    expect(rows[t2]).toMatch(/\[═*! +\[═+\]/);
    // tomcat3 saw tomcat2 leave (no detector record: x) and come back.
    expect(rows[t3 + 2]).toMatch(/^ {2}tomcat2 +─?\+━+x─+\+━+x/);
    const labelLine = rows[t3 + 4];
    expect(labelLine).toContain('15:07:50');
    expect(labelLine).toContain('15:08:00');
    expect(labelLine).toContain('15:08:20');
  });

  it('shows transfer latency figures equal to the snapshot, per pair, with evidence text', async () => {
    const snap = synthesisedSnapshot();
    const { lastFrame } = renderApp();
    const frame = await waitForFrame(lastFrame, (f) => f.includes('latency'));
    const o = snap.latency.overall;
    expect(frame).toContain(`latency n=${o.count} p50 ${formatDuration(o.p50)} p95 ${formatDuration(o.p95)} max ${formatDuration(o.max)} timeouts ${o.timeouts}`);
    expect(frame).toContain('latency n=3 p50 106ms p95 107ms max 107ms timeouts 0');
    const p1 = snap.latency.byProvider.tomcat1;
    expect(frame).toContain(`tomcat1 n=${p1.count} p50 ${formatDuration(p1.p50)} p95 ${formatDuration(p1.p95)} max ${formatDuration(p1.max)}`);
    expect(frame).toMatch(/tomcat2 → tomcat1 +localhost#\/clusterapp +1 +107ms +107ms +107ms +0/);
    expect(frame).toMatch(/tomcat2 → tomcat3 +localhost#\/clusterapp +1 +106ms +106ms +106ms +0/);
    expect(frame).toMatch(/tomcat3 → tomcat1 +localhost#\/clusterapp +1 +105ms/);
  });

  it('selects a transfer with ↑/↓ and shows its request and outcome evidence', async () => {
    const r = renderApp();
    await waitForFrame(r.lastFrame, (f) => f.includes('latency'));
    await press(r, KEY.tab, KEY.down);
    const frame = await waitForFrame(r.lastFrame, (f) => f.includes('▶ 2/4'));
    expect(frame).toContain('▶ 2/4 15:07:50.588 tomcat2 → tomcat1 [localhost#/clusterapp] received in 107ms (timeout 60s)');
    expect(frame).toMatch(/tomcat2\/catalina\.out:46 +26-Nov-2026 15:07:50\.588 INFO \[main\] org\.apache\.catalina\.ha\.session\./);
    expect(frame).toMatch(/tomcat2\/catalina\.out:47 +26-Nov-2026 15:07:50\.692 INFO/);
  });

  it('lists findings most severe first and shows evidence on Enter', async () => {
    const r = renderApp();
    await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
    await press(r, KEY.tab, KEY.tab);
    const frame = await waitForFrame(r.lastFrame, (f) => f.includes('ERROR'));
    const order = ['node-restarted', 'send-failed', 'slow-detection', 'disagreeing-views'].map((k) => frame.indexOf(`${k}:`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(frame).toMatch(/▶ERROR 15:07:51 tomcat2 node-restarted/);
    expect(frame).not.toContain('evidence (');

    await press(r, KEY.down, KEY.enter);
    const open = await waitForFrame(r.lastFrame, (f) => f.includes('evidence ('));
    expect(open).toMatch(/▶WARN  15:07:59 tomcat1 send-failed/);
    expect(open).toMatch(/tomcat1\/catalina\.out:52 +26-Nov-2026 15:07:59\.108 WARNING \[MessageDispatchInterceptor/);
    await press(r, KEY.enter);
    expect(await waitForFrame(r.lastFrame, (f) => !f.includes('evidence ('))).not.toContain('catalina.out:52');
  });

  it('jumps to the next finding in time with n and marks it on the axis', async () => {
    const r = renderApp();
    await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
    await press(r, 'n');
    let frame = await waitForFrame(r.lastFrame, (f) => f.includes('▼'));
    expect(frame).toMatch(/▶ERROR 15:07:51 tomcat2 node-restarted/);
    await press(r, 'n');
    frame = await waitForFrame(r.lastFrame, (f) => /▶WARN  15:07:59/.test(f));
    await press(r, 'n', 'n');
    frame = await waitForFrame(r.lastFrame, (f) => /▶WARN  15:08:03/.test(f));
    expect(frame).toContain('▼');
  });

  it('zooms with + and -, and pans with the arrow keys', async () => {
    const r = renderApp();
    await waitForFrame(r.lastFrame, (f) => f.includes('Membership 15:07:48–15:08:33'));
    await press(r, '+');
    let frame = await waitForFrame(r.lastFrame, (f) => f.includes('zoom ×2'));
    // Half of the 45.010 s span around its centre: 15:07:59.376 to 15:08:21.881.
    expect(frame).toContain('Membership zoom ×2 15:07:59–15:08:21 (23s)');
    expect(frame).toContain('15:08:05');
    // A pan moves a quarter of the window (5.6 s).
    await press(r, KEY.right);
    frame = await waitForFrame(r.lastFrame, (f) => f.includes('15:08:05–15:08:27'));
    await press(r, KEY.left, KEY.left);
    frame = await waitForFrame(r.lastFrame, (f) => f.includes('15:07:53–15:08:16'));
    await press(r, '-');
    frame = await waitForFrame(r.lastFrame, (f) => f.includes('Membership 15:07:48–15:08:33'));
    expect(frame).not.toContain('zoom ×');
  });

  it('filters the events list with / and clears the filter with Esc', async () => {
    const r = renderApp();
    await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
    await press(r, KEY.tab, KEY.tab, KEY.tab);
    const total = synthesisedEvents().length;
    const all = await waitForFrame(r.lastFrame, (f) => f.includes(`${total} events`));
    expect(all).toContain('member-added');
    await press(r, '/', ...'disappeared'.split(''));
    const editing = await waitForFrame(r.lastFrame, (f) => f.includes('/ disappeared'));
    expect(editing).toContain('member-disappeared');
    await press(r, KEY.enter);
    const narrowed = await waitForFrame(r.lastFrame, (f) => f.includes(`5 of ${total} events match "disappeared"`));
    const eventLines = lines(narrowed).filter((l) => /^\d\d:\d\d:\d\d\.\d{3} tomcat/.test(l));
    expect(eventLines).toHaveLength(5);
    expect(eventLines.every((l) => l.includes('member-disappeared'))).toBe(true);
    expect(narrowed).not.toContain('member-added');
    await press(r, '/', ' tomcat1');
    // Two terms: both must match (tomcat1's own record of tomcat2 disappearing).
    await press(r, KEY.enter);
    const two = await waitForFrame(r.lastFrame, (f) => f.includes('match "disappeared tomcat1"'));
    const both = lines(two).filter((l) => /^\d\d:\d\d:\d\d\.\d{3} tomcat/.test(l));
    expect(both).toHaveLength(1);
    expect(both[0]).toMatch(/^15:08:03\.433 tomcat1 member-disappeared/);
    await press(r, KEY.escape);
    const cleared = await waitForFrame(r.lastFrame, (f) => f.includes(`${total} events`) && !f.includes('match'));
    expect(cleared).toContain('member-added');
  });

  it('shows only the last maxEvents events, in time order', async () => {
    const events = synthesisedEvents();
    const shuffled = [...events.slice(-4)].reverse();
    const r = renderApp({ source: staticSource(synthesisedSnapshot(), [...events.slice(0, -4), ...shuffled]), maxEvents: 4 });
    await press(r, KEY.tab, KEY.tab, KEY.tab);
    const frame = await waitForFrame(r.lastFrame, (f) => f.includes('4 events'));
    const times = lines(frame)
      .filter((l) => /^\d\d:\d\d:\d\d\.\d{3} tomcat/.test(l))
      .map((l) => l.slice(0, 12));
    expect(times).toEqual(events.slice(-4).map((e) => e.time!.slice(11, 23)));
  });

  it('toggles a help overlay with ?', async () => {
    const r = renderApp();
    await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
    await press(r, '?');
    const help = await waitForFrame(r.lastFrame, (f) => f.includes('jump to the next finding'));
    expect(help).not.toContain('Membership');
    await press(r, '?');
    await waitForFrame(r.lastFrame, (f) => f.includes('Membership') && !f.includes('jump to the next finding'));
  });

  it('re-lays out when the terminal is resized', async () => {
    const r = sized({}, { columns: 120, rows: 40 });
    const wide = await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
    const widest = (f: string) => Math.max(...lines(f).map((l) => Array.from(l).length));
    expect(widest(wide)).toBeLessThanOrEqual(120);
    expect(widest(wide)).toBeGreaterThan(100);
    r.resize(70, 30);
    const narrow = await waitForFrame(r.lastFrame, (f) => widest(f) <= 70 && f.includes('Membership'));
    expect(lines(narrow).length).toBeLessThanOrEqual(29);
    const bar = (f: string) => lines(f).find((l) => l.startsWith('tomcat1'))!.trimEnd().length;
    expect(bar(narrow)).toBeLessThan(bar(wide));
    r.resize(40, 30);
    const tiny = await waitForFrame(r.lastFrame, (f) => !f.includes('Membership'));
    expect(tiny).toContain('findings 4 (1 error)');
  });

  it('re-lays out when rerendered with other dimensions', async () => {
    const r = renderApp({ columns: 100 });
    const wide = await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
    r.rerender(<App source={staticSource()} live={false} rows={40} columns={64} formatTime={utc} />);
    const narrow = await waitForFrame(r.lastFrame, (f) => f !== wide && f.includes('Membership'));
    expect(Math.max(...lines(narrow).map((l) => Array.from(l).length))).toBeLessThanOrEqual(64);
  });

  it('is never taller than rows - 1', async () => {
    for (const [columns, rows] of [[100, 40], [80, 24], [60, 15], [120, 16], [59, 30], [100, 14], [30, 5], [10, 2]]) {
      const r = sized({}, { columns, rows });
      const frame = await waitForFrame(r.lastFrame, (f) => f.length > 0);
      expect(lines(frame).length, `${columns}x${rows}`).toBeLessThanOrEqual(Math.max(1, rows - 1));
      expect(Math.max(...lines(frame).map((l) => Array.from(l).length)), `${columns}x${rows}`).toBeLessThanOrEqual(columns);
    }
  });

  it('uses a compact layout in tiny terminals', async () => {
    const r = sized({}, { columns: 50, rows: 12 });
    const frame = await waitForFrame(r.lastFrame, (f) => f.includes('findings'));
    expect(frame).not.toContain('Membership');
    expect(frame).toContain('catalina-lens ■ archived');
    expect(frame).toContain('findings 4 (1 error)');
    expect(frame).toMatch(/tomcat1 stopped runs 1 members 2/);
    expect(frame).toMatch(/tomcat2 stopped runs 2 members 2/);
    const short = sized({}, { columns: 100, rows: 10 });
    expect(await waitForFrame(short.lastFrame, (f) => f.includes('findings'))).not.toContain('Membership');
  });

  it('renders read-only when stdin is not a terminal', async () => {
    const r = sized({}, { columns: 100, rows: 40, isTTY: false });
    const frame = await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
    expect(frame).toContain('read-only');
    r.stdin.write('q');
    await tick();
    expect(r.lastFrame()).toContain('Membership');
  });

  it('quits on q and on Ctrl-C', async () => {
    for (const key of ['q', KEY.ctrlC]) {
      const r = sized({}, { columns: 100, rows: 40 });
      await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
      const exited = r.instance.waitUntilExit();
      r.stdin.write(key);
      await expect(exited).resolves.toBeUndefined();
    }
  });
});
