// Terminal safety end to end: a synthesised cluster log full of escape sequences goes through the
// real pipeline, and none of them reaches `analyze --text`, `tail --text`, `events --stats`, error
// lines or the dashboard. NDJSON/JSON escape them as JSON does.
//
// Synthesised: the REAL lines of the state-timeout scenario (tomcat1, tomcat2), with SGR, OSC 8
// hyperlinks, OSC 0 titles, CSI cursor moves, DCS, C1 CSI/OSC and bidi overrides inserted into the
// message part of each line (inside its first [argument] where it has one: manager names, members).
// One node's directory name carries a right-to-left override too (node names come from paths).

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EvidenceIndex } from '../../src/cli/evidence.js';
import { analyzeDetailed } from '../../src/pipeline/analyze.js';
import { App } from '../../src/ui/app.js';
import { formatAtOffset } from '../../src/ui/utils/format-time.js';
import type { DashboardSource } from '../../src/ui/types.js';
import { KEY } from '../ui/helpers/keys.js';
import { tick, waitForFrame } from '../ui/helpers/wait-for-frame.js';
import { HOSTILE_SEQUENCES } from '../fuzz/harness.js';
import { runCli, runCliUntil } from './helpers/cli.js';
import { CORPUS, splitOneline } from './helpers/synthesised.js';

// Any control character, C1 control or bidi control: none may reach a terminal (newline aside).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function expectTerminalSafe(text: string, what: string): void {
  const bad = text.split('\n').find((l) => UNSAFE.test(l));
  expect(bad, `${what} has a control character in ${JSON.stringify(bad)}`).toBeUndefined();
  expect(text).not.toContain('pwned'); // OSC 0 title payload
  expect(text).not.toContain('evil.example'); // OSC 8 hyperlink target
}

/** Inserts escape sequence `seq` into the message part of a real oneline record. */
export function hostileLine(line: string, seq: string): string {
  let parts;
  try {
    parts = splitOneline(line);
  } catch {
    return line; // not a record start (a continuation line): left as it is
  }
  const { head, message } = parts;
  const manager = /[Mm]anager \[localhost#\//.exec(message);
  if (manager) {
    // Inside the manager name, with a sequence that has no brackets (a manager name cannot hold
    // them), so the record still parses and the name reaches the transfers and findings.
    const plain = BRACKET_FREE[seq.length % BRACKET_FREE.length];
    const at = manager.index + manager[0].length + 1;
    return `${head}${message.slice(0, at)}${plain}${message.slice(at)}`;
  }
  const arg = message.indexOf('[');
  const at = arg !== -1 && arg + 2 < message.length ? arg + 2 : Math.floor(message.length / 2);
  return `${head}${message.slice(0, at)}${seq}${message.slice(at)}`;
}

const BRACKET_FREE = HOSTILE_SEQUENCES.filter((q) => !/[[\]]/.test(q));

let dir: string;
let nodeDirs: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lens-hostile-'));
  nodeDirs = [join(dir, 'tomcat1'), join(dir, 'tom\u202ecat2\u001b[31m')];
  ['tomcat1', 'tomcat2'].forEach((node, n) => {
    const real = readFileSync(join(CORPUS, 'state-timeout', node, 'catalina.out'), 'utf8').replace(/\n$/, '').split('\n');
    const lines = real.map((l, i) => hostileLine(l, HOSTILE_SEQUENCES[(i + n) % HOSTILE_SEQUENCES.length]));
    mkdirSync(nodeDirs[n]);
    writeFileSync(join(nodeDirs[n], 'catalina.out'), `${lines.join('\n')}\n`);
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('escape sequences in log text never reach a terminal', () => {
  test('the synthesised log really carries them, and they survive into the events (NDJSON escapes C0 as JSON does)', () => {
    const raw = readFileSync(join(nodeDirs[0], 'catalina.out'), 'utf8');
    for (const seq of HOSTILE_SEQUENCES) expect(raw).toContain(seq);
    const r = runCli(['events', '--tz', 'UTC', ...nodeDirs]);
    expect(r.code).toBe(0);
    // No raw C0 control in NDJSON (JSON escapes them); C1 and bidi stay as JSON leaves them.
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u0009\u000b-\u001f]/.test(r.stdout)).toBe(false);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const text = JSON.stringify(events);
    expect(text).toContain('\\u001b[31m'); // the hostile text is in the data, escaped
    expect(events.some((e) => e.type === 'state-transfer-timeout' || e.type === 'state-transfer-requested')).toBe(true);
  });

  test('analyze --text (also with --color)', () => {
    for (const color of ['--no-color', '--color']) {
      const r = runCli(['analyze', '--text', color, '--tz', 'UTC', ...nodeDirs]);
      expect(r.code).toBe(0);
      // With --color the report's own SGR codes are allowed; drop exactly those before the check.
      // eslint-disable-next-line no-control-regex
      const out = color === '--color' ? r.stdout.replace(/\u001b\[(?:\d+;)*\d+m/g, '') : r.stdout;
      expectTerminalSafe(out, `analyze --text ${color}`);
      expect(out).toContain('State transfers');
      expect(out).toContain('tomcat2'); // the node named from the hostile directory, cleaned
      expect(out).toMatch(/localhost#\/c/);
    }
  });

  test('events --stats and the error lines on stderr', () => {
    const missing = join(dir, 'gone\u009d0;pwned\u009c\u0007\u202e.log'); // no glob characters
    const r = runCli(['events', '--stats', '--tz', 'UTC', ...nodeDirs, missing]);
    expect(r.code).toBe(1);
    expectTerminalSafe(r.stderr, 'stderr');
    expect(r.stderr).toContain(`catalina-lens: ${join(dir, 'gone.log')}: no such file or directory`);
    expect(r.stderr).toMatch(/node=tomcat2 format=juli_oneline/);
  });

  test('tail --text --from-start on the directory', async () => {
    const json = JSON.parse(runCli(['analyze', '--json', '--tz', 'UTC', ...nodeDirs]).stdout);
    const total = Object.values(json.counts.events as Record<string, number>).reduce((a, b) => a + b, 0);
    const r = await runCliUntil(['tail', '--text', '--from-start', '--tz', 'UTC', dir], (out) => out.split('\n').length > total);
    expect(r.stdout.split('\n').length).toBeGreaterThan(total);
    expectTerminalSafe(r.stdout, 'tail --text');
    expectTerminalSafe(r.stderr, 'tail stderr');
    expect(r.stdout).toMatch(/state-transfer-(requested|timeout)/);
  });

  test('the dashboard, every pane (ink-testing-library frames)', async () => {
    const { snapshot, collected } = await analyzeDetailed(nodeDirs, { tz: 'UTC' });
    const evidence = new EvidenceIndex(collected.events);
    const source: DashboardSource = { getSnapshot: () => ({ snapshot, events: collected.events }), subscribe: () => () => {} };
    const r = render(
      <App source={source} live={false} rows={40} getEvidenceText={(ref) => evidence.text(ref)} formatTime={(ms) => formatAtOffset(ms, 0)} />,
    );
    const frames: string[] = [];
    try {
      frames.push(await waitForFrame(r.lastFrame, (f) => f.includes('Membership')));
      for (const key of [KEY.tab, KEY.down, KEY.down, KEY.tab, KEY.down, KEY.enter, KEY.escape, KEY.tab, KEY.down, KEY.tab]) {
        r.stdin.write(key);
        await tick(30);
        frames.push(r.lastFrame() ?? '');
      }
    } finally {
      r.unmount();
    }
    expect(frames.join('\n')).toMatch(/localhost#\/c/);
    for (const f of frames) expectTerminalSafe(f, 'dashboard frame');
  });
});
