// Property-based: real corpus logs (../shared/corpus/**/catalina.out, public/*.log) mutated at random
// (bytes flipped, lines cut, duplicated, reordered, joined, spliced from other formats, escape
// sequences inserted, long lines, long traces, the input cut short) never make the library throw,
// and the accounting holds: lines == recordLines + unparsed == the physical lines. The long run is
// test/fuzz/run.ts (10,000 cases); here a small one, a few seconds.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectEvents } from '../../src/pipeline/read-events.js';
import { analyzeDetailed } from '../../src/pipeline/analyze.js';
import { renderText } from '../../src/report/text.js';
import { buildInput, corpusFiles, fuzzCase, grammars, physicalLines, runCase, UNSAFE_FOR_TERMINAL } from '../fuzz/harness.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lens-property-'));
  grammars();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mutated real logs', () => {
  test('the corpus is there to mutate', () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(30);
    expect(files.some((f) => f.name.startsWith('public/'))).toBe(true);
  });

  test('createEventStream: never throws; accounting, fast path = general path, terminal-safe event lines and report (150 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (c) => {
        expect(await runCase(c)).toEqual([]);
      }),
      { numRuns: 150, seed: 20261126 },
    );
  }, 60_000);

  test('collectEvents and analyze on files, plain and gzip (whole or cut short): never throw; accounting per input', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fuzzCase, fc.constantFrom('plain', 'gzip', 'gzip-cut'), async (c, kind) => {
        const input = buildInput(c);
        const path = join(dir, `case${n++}.log${kind === 'plain' ? '' : '.gz'}`);
        const gz = kind === 'plain' ? input : gzipSync(input);
        writeFileSync(path, kind === 'gzip-cut' ? gz.subarray(0, Math.floor(gz.length / 2)) : gz);
        const collected = await collectEvents(path, { tz: c.tz, maxLineBytes: c.maxLineBytes });
        const s = collected.inputs[0];
        expect(s.lines).toBe(s.recordLines + s.unparsed);
        if (kind !== 'gzip-cut') {
          expect(collected.errors).toEqual([]);
          expect(s.lines).toBe(physicalLines(input));
        } else if (collected.errors.length > 0) {
          expect(collected.errors[0].message).toBe(`${path}: the gzip data is truncated`);
          expect(s.error).toBe(collected.errors[0].message);
        }
        const { snapshot } = await analyzeDetailed(path, { tz: c.tz, maxLineBytes: c.maxLineBytes });
        const text = renderText(snapshot, { width: 80 });
        expect(text.split('\n').filter((l) => UNSAFE_FOR_TERMINAL.test(l))).toEqual([]);
      }),
      { numRuns: 40, seed: 7 },
    );
  }, 60_000);
});
