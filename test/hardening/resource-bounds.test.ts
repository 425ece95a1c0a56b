// Resource bounds end to end: a hostile or broken log naming 100,000 distinct members and 15,000
// distinct managers (the bound is 10,000 of each). The model's caps hold through the CLI, the report says a bound was hit, and
// the run fits in a small heap.
//
// Synthesised: the REAL member-added line of steady/tomcat1/catalina.out repeated with its address
// varied (10.a.b.c), and the REAL state-transfer request line of steady/tomcat2 repeated with its
// manager name varied.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ClusterSnapshot } from '../../src/core/snapshot.js';
import { renderText } from '../../src/report/text.js';
import { runCli } from './helpers/cli.js';
import { realMemberAddedLine, synthesisedManyMembersLog, synthesisedMemberAdded } from './helpers/synthesised.js';

const N = 100_000; // distinct members
const M = 15_000; // distinct managers: over the bound, fewer than N to keep the suite fast
const BOUND = 10_000; // the model's default maxMembers
let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lens-bounds-'));
  file = join(dir, 'synthesised-many-members.log');
  writeFileSync(file, synthesisedManyMembersLog(N, M));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('100,000 distinct members, 15,000 distinct managers', () => {
  test('the synthesised lines are the real line with only the address changed', () => {
    const real = realMemberAddedLine();
    const made = synthesisedMemberAdded(70_000);
    expect(made).toContain('tcp://10.1.17.112:');
    expect(made.replace(/10\.1\.17\.112/g, 'X')).toBe(real.replace(/127\.0\.0\.12/g, 'X'));
  });

  test('analyze --json in a 384 MB heap: caps hold, every event counted, notes say which bound was hit; the text report shows them', () => {
    const r = runCli(['analyze', '--json', '--tz', 'UTC', file], { nodeArgs: ['--max-old-space-size=384'], timeoutMs: 55_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as ClusterSnapshot;
    expect(snap.counts.events['member-added']).toBe(N);
    expect(snap.counts.events['state-transfer-requested']).toBe(M);
    expect(snap.counts.lines).toBe(snap.counts.recordLines + snap.counts.unparsed);
    expect(snap.membership.length).toBeLessThanOrEqual(BOUND);
    expect(snap.transfers.length).toBeLessThanOrEqual(BOUND);
    expect(Object.keys(snap.latency.byManager).length).toBeLessThanOrEqual(BOUND);
    const notes = snap.notes.join('\n');
    expect(notes).toContain(`More than ${BOUND} membership rows: further ones were not tracked`);
    expect(notes).toContain(`More than ${BOUND} managers: further ones were not tracked`);
    expect(notes).toContain(`${N - BOUND} member records were not tracked`);
    // The text report of that snapshot (what `analyze --text` prints) carries the notes, and its
    // size is bounded by the caps, not by the log.
    const text = renderText(snap, { width: 100 });
    expect(text).toMatch(/\nNotes\n(?:.*\n)*? {2}More than 10000 membership rows/);
    expect(text.split('\n').length).toBeLessThan(20 * BOUND); // rows, transfers and findings: each capped
  }, 60_000);
});
