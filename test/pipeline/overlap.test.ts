// Tomcat writes each record to catalina.out and to the dated catalina.*.log: reading a node's
// directory must use one copy, chosen from the records themselves, and say which.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ClusterEvent } from '../../src/core/types.js';
import { collectEvents } from '../../src/pipeline/read-events.js';
import { CopySummary, SAMPLED_KEYS } from '../../src/pipeline/select-files.js';
import { CORPUS } from '../helpers/corpus.js';

function usedNames(inputs: { file: string; used?: boolean }[]): string[] {
  return inputs.filter((i) => i.used).map((i) => i.file.slice(CORPUS.length + 1));
}

describe('overlapping catalina.out and catalina.DATE.log', () => {
  test.each([
    // Same OneLine records in both: catalina.out is kept (it also has stdout text).
    ['steady', 'catalina.out'],
    // JSON console vs OneLine file: same precision, catalina.out kept.
    ['json', 'catalina.out'],
    // The configured SimpleFormatter writes both files alike: catalina.out kept.
    ['simpleformatter-default', 'catalina.out'],
    // The Debian systemd console lines carry no time at all.
    ['debian-systemdformatter', 'catalina.2026-11-26.log'],
  ])('%s: each node reads only its %s', async (scenario, kept) => {
    const dir = join(CORPUS, scenario);
    const both = await collectEvents(dir, { tz: 'UTC' });
    const nodes = [...new Set(both.inputs.map((i) => i.node))];
    expect(usedNames(both.inputs)).toEqual(nodes.map((n) => `${scenario}/${n}/${kept}`));
    for (const skipped of both.inputs.filter((i) => !i.used)) expect(skipped.note).toMatch(/same records as/);
    // And the events are those of one copy, not twice as many.
    const one = await collectEvents(
      nodes.map((n) => join(dir, n, kept)),
      { tz: 'UTC' },
    );
    expect(both.events.map((e) => e.type)).toEqual(one.events.map((e) => e.type));
  });
});

describe('the copy summary: bounded, and exact while it holds every key', () => {
  // Synthesised events (not log lines): only their type, message and time are compared.
  const ev = (i: number, ms = 0): ClusterEvent => ({ type: 'member-added', node: 'n', file: 'synthetic.log', line: i + 1, message: `synthetic member ${i}`, timeMs: 1_700_000_000_000 + i * 1000 + ms });

  test('few events: the share is counted exactly, repeats included', () => {
    const s = new CopySummary();
    for (const i of [1, 2, 2, 3, 4]) s.add('console', ev(i));
    for (const i of [2, 2, 2, 3]) s.add('dated', ev(i));
    // The smaller side (dated, 4 events): two of its three 2s and its 3 are on the other side.
    expect(s.overlapShare()).toBe(3 / 4);
    expect(s.preferred()).toBe('console');
  });

  test('a tie in events goes to the side with the more precise times', () => {
    const s = new CopySummary();
    s.add('console', ev(1));
    s.add('dated', ev(1, 250));
    expect(s.preferred()).toBe('dated');
  });

  test('many events: the keys held stay bounded and the share is estimated from the same sample on both sides', () => {
    const s = new CopySummary();
    const n = 60_000;
    for (let i = 0; i < n; i++) s.add('console', ev(i));
    // The dated side: three quarters of the console's events, and as many others of its own.
    for (let i = 0; i < n; i++) s.add('dated', ev(i % 4 === 0 ? n + i : i));
    expect(s.keyCount).toBeLessThanOrEqual(SAMPLED_KEYS);
    expect(s.keyCount).toBeGreaterThan(SAMPLED_KEYS / 4);
    expect(s.overlapShare()).toBeGreaterThan(0.72);
    expect(s.overlapShare()).toBeLessThan(0.78);
  });
});
