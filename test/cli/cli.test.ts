// The CLI contract: commands, outputs, stdin, gzip, exit codes. Runs the built dist/ (npm test builds it).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { CORPUS } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.cjs');

function run(args: string[], input?: string | Buffer, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    input,
    // No input: stdin is /dev/null, as for a user at a shell with nothing piped in.
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const events = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('catalina-lens', () => {
  test('--version and --help', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(run(['--version']).stdout.trim()).toBe(pkg.version);
    const help = run(['--help']);
    expect(help.code).toBe(0);
    for (const word of ['analyze', 'tail', 'events', 'grammars', '--fail-on', '--tz', '--node', '--encoding']) expect(help.stdout).toContain(word);
  });

  test('usage errors exit 2 with one clear line', () => {
    const r = run(['analyze', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^catalina-lens: Unknown option '--frobnicate'/);
    expect(run(['anlyze']).stderr).toMatch(/unknown command "anlyze"/);
    expect(run(['analyze', '--fail-on', 'sometimes']).code).toBe(2);
    expect(run(['events', '--tz', 'Mars/Olympus']).stderr).toMatch(/Invalid option tz/);
  });

  test('--encoding: a log in a legacy charset (real zh_CN Tomcat 6 log converted to GBK)', () => {
    const gbk = join(ROOT, 'test/fixtures/encodings/yanwuyang-tomcat6-zh_CN-2L-JUL.gbk.log');
    const r = run(['events', '--tz', 'UTC', '--encoding', 'gbk', '--stats', gbk]);
    expect(r.code).toBe(0);
    expect(events(r.stdout).map((e) => e.type).sort()).toEqual(['receiver-bound', 'state-transfer-message-dropped', 'state-transfer-skipped']);
    expect(r.stderr).toMatch(/format=jul_simple .*invalidUtf8=0/);
    const bad = run(['events', '--encoding', 'klingon', gbk]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: Invalid option encoding: .*got "klingon"/);
  });

  test('events: NDJSON in time order across nodes, with the schema fields', () => {
    const r = run(['events', '--tz', 'UTC', join(CORPUS, 'steady')]);
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    const times = evs.map((e) => e.timeMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const received = evs.filter((e) => e.type === 'state-transfer-received');
    expect(received.map((e) => [e.node, e.durationMs])).toEqual([
      ['tomcat2', 106],
      ['tomcat3', 109],
    ]);
    for (const key of ['type', 'node', 'time', 'timeMs', 'level', 'logger', 'thread', 'file', 'line', 'message']) {
      expect(received[0]).toHaveProperty(key);
    }
    expect(received[0].time).toBe('2026-11-26T15:07:34.509+00:00');
  });

  test('events from stdin and from gzip (recognised by magic bytes, not the name)', () => {
    const file = join(CORPUS, 'steady/tomcat2/catalina.out');
    const plain = events(run(['events', '--tz', 'UTC', file]).stdout);
    const fromStdin = events(run(['events', '--tz', 'UTC', '--node', 'tomcat2=-', '-'], readFileSync(file)).stdout);
    expect(fromStdin.map((e) => [e.type, e.line, e.node])).toEqual(plain.map((e) => [e.type, e.line, 'tomcat2']));
    const dir = mkdtempSync(join(tmpdir(), 'lens-gz-'));
    const gz = join(dir, 'catalina.out.1');
    writeFileSync(gz, gzipSync(readFileSync(file)));
    const fromGz = events(run(['events', '--tz', 'UTC', gz]).stdout);
    expect(fromGz.map((e) => [e.type, e.line])).toEqual(plain.map((e) => [e.type, e.line]));
  });

  test('events --stats: every line accounted for, on stderr', () => {
    const r = run(['events', '--stats', join(CORPUS, 'public/isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log')]);
    expect(r.stderr).toMatch(/lines=6898 records=\d+ recordLines=(\d+) unparsed=(\d+)/);
    const [, recordLines, unparsed] = /recordLines=(\d+) unparsed=(\d+)/.exec(r.stderr)!;
    expect(Number(recordLines) + Number(unparsed)).toBe(6898);
  });

  test('events --all adds the non-cluster records', () => {
    const file = join(CORPUS, 'steady/tomcat1/catalina.out');
    const all = events(run(['events', '--all', file]).stdout);
    expect(all.some((e) => e.type === 'record')).toBe(true);
    expect(all.length).toBeGreaterThan(events(run(['events', file]).stdout).length);
  });

  test('analyze: text off a terminal, JSON, CSV; samples by default', () => {
    const text = run(['analyze']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^catalina-lens .*: 3 nodes/);
    expect(text.stdout).toContain('Membership');
    expect(text.stdout).not.toMatch(/\u001b\[/);
    const snap = JSON.parse(run(['analyze', '--json']).stdout);
    expect(snap.nodes.map((n: { name: string }) => n.name)).toEqual(['tomcat1', 'tomcat2', 'tomcat3']);
    expect(snap.transfers.filter((t: { outcome: string }) => t.outcome === 'timeout')).toHaveLength(1);
    const csv = run(['analyze', '--csv']).stdout.trim().split(/\r?\n/);
    expect(csv[0]).toBe('node,manager,member,provider,requestedAt,outcome,durationMs,file,line');
    expect(csv.slice(1).filter((l) => l.includes(',received,'))).toHaveLength(3);
  });

  test('--fail-on: exit 3 when such a finding exists', () => {
    expect(run(['analyze', '--json', '--fail-on', 'timeout']).code).toBe(3);
    expect(run(['analyze', '--json', '--fail-on', 'timeout', join(CORPUS, 'steady')]).code).toBe(0);
  });

  test('--since/--until keep events inside the window', () => {
    const all = events(run(['events', '--tz', 'UTC', join(CORPUS, 'steady')]).stdout);
    const some = events(run(['events', '--tz', 'UTC', '--since', '2026-11-26T15:07:34Z', '--until', '2026-11-26T15:07:36Z', join(CORPUS, 'steady')]).stdout);
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(all.length);
    expect(some.every((e) => e.timeMs >= Date.parse('2026-11-26T15:07:34Z') && e.timeMs <= Date.parse('2026-11-26T15:07:36Z'))).toBe(true);
  });

  test('grammars lists the formats; --test runs the samples', () => {
    const list = run(['grammars']);
    expect(list.stdout).toMatch(/juli_oneline/);
    expect(list.stdout).toMatch(/jul_simple/);
  });
});
