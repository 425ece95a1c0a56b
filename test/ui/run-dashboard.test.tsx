import { describe, expect, it } from 'vitest';
import { runDashboard } from '../../src/ui/run-dashboard.js';
import type { DashboardSource } from '../../src/ui/types.js';
import { synthesisedEvents, synthesisedSnapshot } from '../fixtures/ui/synthesised-snapshot.js';
import { FakeStdin, FakeStdout } from './helpers/render-sized.js';
import { tick } from './helpers/wait-for-frame.js';

function countingSource(): DashboardSource & { subscribed: number } {
  const data = { snapshot: synthesisedSnapshot(), events: synthesisedEvents() };
  const source = {
    subscribed: 0,
    getSnapshot: () => data,
    subscribe: () => {
      source.subscribed++;
      return () => {
        source.subscribed--;
      };
    },
  };
  return source;
}

const streams = (isTTY: boolean) => ({
  stdout: new FakeStdout(100, 40) as unknown as NodeJS.WriteStream,
  stderr: new FakeStdout(100, 40) as unknown as NodeJS.WriteStream,
  stdin: new FakeStdin(isTTY) as unknown as NodeJS.ReadStream,
});

describe('runDashboard', () => {
  it('renders, quits on q and resolves after cleanup', async () => {
    const source = countingSource();
    const io = streams(true);
    const done = runDashboard(source, { live: false, ...io });
    await tick(150);
    expect(source.subscribed).toBe(1);
    (io.stdin as unknown as FakeStdin).write('q');
    await expect(done).resolves.toBeUndefined();
    expect(source.subscribed).toBe(0);
    const written = (io.stdout as unknown as FakeStdout).frames.join('');
    expect(written).toContain('Membership');
    expect(written).toContain('tomcat2');
  });

  it('renders with piped stdin and closes when its signal aborts', async () => {
    const source = countingSource();
    const io = streams(false);
    const ac = new AbortController();
    const done = runDashboard(source, { live: true, signal: ac.signal, ...io });
    await tick(150);
    ac.abort();
    await expect(done).resolves.toBeUndefined();
    expect(source.subscribed).toBe(0);
    expect((io.stdout as unknown as FakeStdout).frames.join('')).toContain('read-only');
  });
});
