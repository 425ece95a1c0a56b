// The real CLI in a real terminal: tmux runs `analyze` on the bundled samples, keys are sent, and
// the screen is read back with capture-pane. Needs tmux (.ci/run installs it) and a built dist/.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SESSION = `lens-e2e-${process.pid}`;
const exitFile = join(mkdtempSync(join(tmpdir(), 'lens-tmux-')), 'exit');

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', SESSION);
}

async function waitFor(predicate: (text: string) => boolean, what: string, ms = 15_000): Promise<string> {
  const end = Date.now() + ms;
  let text = '';
  while (Date.now() < end) {
    text = screen();
    if (predicate(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen was:\n${text}`);
}

describe('dashboard in tmux', () => {
  beforeAll(() => {
    const cli = join(ROOT, 'dist/cli/main.cjs');
    if (!existsSync(cli)) throw new Error('dist/ is missing: run npm run build first (npm test does it)');
    const cmd = `node ${cli} analyze ${join(ROOT, 'samples')}; echo $? > ${exitFile}; sleep 60`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', '-e', 'CI=false', '-e', 'NO_COLOR=1', cmd);
  });

  afterAll(() => {
    try {
      tmux('kill-session', '-t', SESSION);
    } catch {
      // already gone
    }
  });

  test('first frame, Tab, zoom, filter, quit', async () => {
    const first = await waitFor((s) => s.includes('ARCHIVED') && s.includes('q quit'), 'the first frame');
    // Header, one swimlane per observer, the time axis.
    expect(first).toMatch(/3 findings/);
    for (const node of ['tomcat1', 'tomcat2', 'tomcat3']) expect(first).toContain(node);
    expect(first).toMatch(/15:32:\d0/);
    // Never taller than the terminal: the header is still on the first line.
    expect(first.split('\n')[0]).toContain('catalina-lens');

    tmux('send-keys', '-t', SESSION, 'Tab');
    // The footer names what ↑↓ moves in the focused pane.
    const transfers = await waitFor((s) => s.includes('↑↓ transfer'), 'focus on the transfers pane');
    expect(transfers).toMatch(/tomcat2 → tomcat1 .* 114ms/);

    tmux('send-keys', '-t', SESSION, '+');
    await waitFor((s) => /Membership zoom ×2/.test(s), 'the zoomed timeline');

    tmux('send-keys', '-t', SESSION, 'Tab');
    await waitFor((s) => /ERROR .*state-transfer-timeout/.test(s), 'the findings pane');

    tmux('send-keys', '-t', SESSION, '/');
    tmux('send-keys', '-t', SESSION, '-l', 'timeout');
    tmux('send-keys', '-t', SESSION, 'Enter');
    // The whole frame: under load a capture can come between the status line and the rows.
    const filtered = await waitFor((s) => /of 85 events match "timeout"/.test(s) && /state-transfer-timeout/.test(s), 'the filtered events');
    expect(filtered).not.toMatch(/member-added/);

    // Keys that arrive in one read (fast typing, paste) each still count.
    tmux('send-keys', '-t', SESSION, 'Escape');
    await waitFor((s) => /Events \(85\)/.test(s), 'the cleared filter');
    tmux('send-keys', '-t', SESSION, '-l', '++');
    await waitFor((s) => /Membership zoom ×8/.test(s), 'two zoom steps from one chunk');

    tmux('send-keys', '-t', SESSION, 'q');
    const end = Date.now() + 10_000;
    while (!existsSync(exitFile) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
  });
});
