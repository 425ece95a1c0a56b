// The compiled timestamp readers are hand-written for speed; date-fns `parse` is slow but a trusted
// reading of the same patterns. Every grammar sample whose time date-fns can read must give the same
// instant through both.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tz } from '@date-fns/tz';
import { parse } from 'date-fns';
import { expect, test } from 'vitest';
import { compileFormatGrammar, matchPattern } from '../../src/core/format-grammar.js';
import { TimeReader } from '../../src/core/timestamp.js';

const DIR = join(import.meta.dirname, '../../grammars/formats');
const REFERENCE = new Date(Date.UTC(2000, 0, 1));

test('compiled timestamp readers agree with date-fns parse on every sample it can read', () => {
  let compared = 0;
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.json'))) {
    const file = join(DIR, name);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    for (const [key, body] of Object.entries(json)) {
      if (key === '$schema') continue;
      const format = compileFormatGrammar(key, body, file);
      const spec = (body as { timestamp?: { formats: (string | { format: string; order?: 'dmy' | 'mdy' })[] } }).timestamp;
      if (!format.timestamp || !spec) continue;
      for (const sample of format.samples) {
        const first = sample.line.split('\n')[0];
        const time = format.patterns.map((p) => matchPattern(p, first)?.time).find((t) => t !== undefined);
        if (!time) continue;
        for (const entry of spec.formats) {
          const pattern = typeof entry === 'string' ? entry : entry.format;
          const order = typeof entry === 'string' ? undefined : entry.order;
          const byDateFns = parse(time, pattern, REFERENCE, { in: tz('UTC') });
          if (Number.isNaN(byDateFns.getTime())) continue;
          const ours = new TimeReader(format.timestamp, { tz: 'UTC', dateOrder: order }).read(time);
          expect({ file: name, time, pattern, ms: ours }).toEqual({ file: name, time, pattern, ms: byDateFns.getTime() });
          compared++;
        }
      }
    }
  }
  // OneLine, JUL (English forms), JSON, logback and rsyslog samples at least.
  expect(compared).toBeGreaterThanOrEqual(15);
});
