// Tomcat writes each record to catalina.out and to the dated catalina.*.log: reading a node's
// directory must use one copy, chosen from the records themselves, and say which.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectEvents } from '../../src/pipeline/read-events.js';
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
