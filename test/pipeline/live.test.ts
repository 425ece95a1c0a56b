// LiveSession on real corpus lines appended to temp files: partial lines, the idle flush between
// the two lines of a JUL SimpleFormatter record, rotation grace, last-N-lines context, back-pressure.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveSession, type LiveOptions } from '../../src/pipeline/live.js';
import { loadGrammarsSync, type Grammars } from '../../src/io/grammar-files.js';
import type { ClusterEvent } from '../../src/core/types.js';
import { CORPUS } from '../helpers/corpus.js';

const corpusLines = (rel: string): string[] =>
  readFileSync(join(CORPUS, rel), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `${l}\n`);
/** steady/tomcat1 (JULI OneLineFormatter): line n (1-based) is STEADY[n - 1]. */
const STEADY = corpusLines('steady/tomcat1/catalina.out');
/** simpleformatter-default/tomcat1: line 99 is a SimpleTcpCluster memberAdded header, 100 its message. */
const JUL = corpusLines('simpleformatter-default/tomcat1/catalina.out');

let grammarSet: Grammars;
beforeAll(() => {
  grammarSet = loadGrammarsSync([]);
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function waitFor(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(files: Record<string, string>, opts: LiveOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'live-test-'));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  const events: ClusterEvent[] = [];
  const session = new LiveSession([dir], { tz: 'UTC', partialMs: 300, grammarSet, ...opts }, (ev) => events.push(ev));
  cleanup.push(async () => {
    await session.close();
    await rm(dir, { recursive: true, force: true });
  });
  await session.start();
  const input = (rel: string) => session.snapshot().inputs.find((i) => i.file === join(dir, rel));
  return { dir, events, session, input, path: (rel: string) => join(dir, rel) };
}

describe('LiveSession', () => {
  it('keeps a JUL header waiting through the idle flush and completes it with its message line', async () => {
    const { events, path, input } = await setup({ 'tomcat1/catalina.out': '' });
    // The record before it, then the header alone: the flush emits the earlier record only.
    await appendFile(path('tomcat1/catalina.out'), JUL[84]! + JUL[85]! + JUL[98]!);
    await waitFor('the earlier record', () => events.length === 1);
    await sleep(700); // two idle flushes pass with the header held
    expect(events.map((e) => e.type)).toEqual(['manager-registered']);
    expect(input('tomcat1/catalina.out')?.unparsed).toBe(0);

    await appendFile(path('tomcat1/catalina.out'), JUL[99]!);
    await waitFor('the completed record', () => events.length === 2);
    const ev = events[1]!;
    expect(ev.type).toBe('member-added');
    expect(ev.line).toBe(3);
    expect(ev.logger).toBe('org.apache.catalina.ha.tcp.SimpleTcpCluster');
    expect(ev.message).toBe(JUL[99]!.trimEnd().replace(/^INFO: /, ''));
    const stats = input('tomcat1/catalina.out')!;
    expect(stats).toMatchObject({ lines: 4, records: 2, recordLines: 4, unparsed: 0, format: 'jul_simple' });
  });

  it('decides the format on a lone JUL header without breaking it', async () => {
    const { events, path, input } = await setup({ 'n/catalina.out': '' });
    await appendFile(path('n/catalina.out'), JUL[98]!);
    await sleep(800);
    expect(events).toEqual([]);
    await appendFile(path('n/catalina.out'), JUL[99]!);
    await waitFor('the record', () => events.length === 1);
    expect(events[0]).toMatchObject({ type: 'member-added', line: 1 });
    expect(input('n/catalina.out')).toMatchObject({ records: 1, recordLines: 2, unparsed: 0 });
  });

  it('reads a followed file in the charset it is given (a real zh_CN log converted to GBK)', async () => {
    const { events, path, input } = await setup({ 'n/catalina.out': '' }, { encoding: 'gbk' });
    await appendFile(path('n/catalina.out'), readFileSync(join(import.meta.dirname, '../fixtures/encodings/yanwuyang-tomcat6-zh_CN-2L-JUL.gbk.log')));
    await waitFor('three events', () => events.length === 3);
    expect(events.map((e) => e.type)).toEqual(['state-transfer-skipped', 'receiver-bound', 'state-transfer-message-dropped']);
    expect(events[2]!.message).toContain('下午7:55');
    expect(input('n/catalina.out')).toMatchObject({ invalidUtf8: 0, format: 'jul_simple' });
  });

  it('holds a partial line until its newline arrives, and flushes it after partialMs', async () => {
    const { events, path, input } = await setup({ 'tomcat1/catalina.out': '' }, { partialMs: 1500 });
    const file = path('tomcat1/catalina.out');
    const line = STEADY[49]!; // memberAdded
    await appendFile(file, STEADY[48]! + line.slice(0, 70));
    await sleep(300);
    await appendFile(file, line.slice(70));
    // And a line whose end never comes: flushed as it is once the file is idle for partialMs.
    const cut = STEADY[50]!.slice(0, STEADY[50]!.indexOf('Replication') + 20);
    await appendFile(file, cut);
    await waitFor('three events', () => events.length === 3);
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(['buffer-pool-created', 'member-added']);
    expect(events[1]!.message).toBe(line.slice(line.indexOf('Replication')).trimEnd());
    expect(events[2]).toMatchObject({ line: 3, logger: 'org.apache.catalina.ha.tcp.SimpleTcpCluster', message: 'Replication member a' });
    expect(input('tomcat1/catalina.out')).toMatchObject({ lines: 3, records: 3, unparsed: 0 });
  });

  it('decides the format of a log that never pauses after 2 x partialMs', async () => {
    const { events, path } = await setup({ 'tomcat1/catalina.out': '' }, { partialMs: 400 });
    const file = path('tomcat1/catalina.out');
    const started = Date.now();
    for (let i = 38; i < 44 && events.length === 0; i++) {
      await appendFile(file, STEADY[i]!);
      await sleep(250); // never idle for partialMs
    }
    await waitFor('events', () => events.length > 0, 5000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(events[0]).toMatchObject({ type: 'cluster-starting', line: 1 });
  });

  it('keeps a rotated file open for its writer\'s last bytes, with its own line numbers', async () => {
    const { events, path, session } = await setup({ 'tomcat1/catalina.out': STEADY.slice(0, 38).join('') }, { rotationGraceMs: 1500 });
    const file = path('tomcat1/catalina.out');
    await appendFile(file, STEADY[38]! + STEADY[39]!);
    await waitFor('two events', () => events.length === 2);
    await rename(file, `${file}.1`);
    await writeFile(file, STEADY[42]!);
    await waitFor('the new file', () => events.length === 3);
    // The old writer still has the rotated file open and writes once more.
    await appendFile(`${file}.1`, STEADY[43]!);
    await waitFor('the late line', () => events.length === 4, 10_000);
    expect(events.map((e) => [e.file, e.line, e.type])).toEqual([
      [file, 1, 'cluster-starting'],
      [file, 2, 'receiver-bound'],
      [`${file}#2`, 1, 'manager-registered'],
      [file, 3, 'state-transfer-skipped'],
    ]);
    // After the grace the old generation ends; nothing is counted twice.
    await sleep(2200);
    const inputs = session.snapshot().inputs;
    expect(inputs.find((i) => i.file === file)).toMatchObject({ lines: 3, records: 3 });
    expect(inputs.find((i) => i.file === `${file}#2`)).toMatchObject({ lines: 1, records: 1 });
  });

  it('starts with the last N lines of each existing file', async () => {
    const { events, input } = await setup(
      {
        'a/catalina.out': STEADY.slice(0, 40).join(''),
        'b/catalina.out': STEADY.slice(0, 44).join('') + STEADY[44]!.slice(0, 30), // unterminated last line
      },
      { initialTailLines: 2 },
    );
    await waitFor('context events', () => events.length >= 3);
    await sleep(400);
    expect(events.map((e) => `${e.node} ${e.line} ${e.type}`)).toEqual(
      expect.arrayContaining(['a 1 cluster-starting', 'a 2 receiver-bound', 'b 1 state-transfer-skipped']),
    );
    expect(input('a/catalina.out')?.lines).toBe(2);
    expect(input('b/catalina.out')?.lines).toBe(2);
  });

  it('takes no further follower events while paused', async () => {
    const { events, path, session } = await setup({ 'tomcat1/catalina.out': '' });
    let release!: () => void;
    session.pauseUntil(new Promise<void>((r) => (release = r)));
    const file = path('tomcat1/catalina.out');
    await appendFile(file, STEADY[38]! + STEADY[39]!);
    await sleep(800);
    // The gate was set before the first follower event was taken: at most that event went through.
    const before = events.length;
    await appendFile(file, STEADY[42]!);
    await sleep(500);
    expect(events.length).toBe(before);
    release();
    await waitFor('all events', () => events.length === 3);
  });

  it('does not flush a partial line while paused: the file is not idle, its reader is', async () => {
    const { events, path, session, input } = await setup({ 'tomcat1/catalina.out': '' }, { partialMs: 300 });
    const file = path('tomcat1/catalina.out');
    const line = STEADY[49]!; // memberAdded
    await appendFile(file, STEADY.slice(8, 48).join(''));
    await waitFor('the first events', () => events.length >= 5);
    let release!: () => void;
    session.pauseUntil(new Promise<void>((r) => (release = r)));
    // The next chunk is still taken (it ends inside a line), then the session waits at the gate.
    await appendFile(file, STEADY[48]! + line.slice(0, 80));
    await sleep(250);
    await appendFile(file, line.slice(80) + STEADY[50]!);
    await sleep(1000); // several partialMs pass while the rest of the line waits behind the gate
    release();
    await waitFor('both member-added events', () => events.filter((e) => e.type === 'member-added').length === 2);
    const added = events.filter((e) => e.type === 'member-added');
    expect(added.map((e) => e.line)).toEqual([42, 43]);
    expect(added[0]!.message).toBe(line.slice(line.indexOf('Replication')).trimEnd());
    expect(input('tomcat1/catalina.out')).toMatchObject({ lines: 43, records: 43, unparsed: 0 });
  });

  it('emits the pending record on close', async () => {
    const { events, path, session } = await setup({ 'tomcat1/catalina.out': '' }, { partialMs: 60_000 });
    // 32 lines: the format is decided without the idle flush, the last record stays pending.
    await appendFile(path('tomcat1/catalina.out'), STEADY.slice(8, 40).join(''));
    await waitFor('the first events', () => events.length >= 2);
    await sleep(200);
    expect(events.map((e) => e.type)).toEqual(['engine-starting', 'cluster-starting']);
    await session.close();
    expect(events.map((e) => e.type)).toEqual(['engine-starting', 'cluster-starting', 'receiver-bound']);
  });
});
