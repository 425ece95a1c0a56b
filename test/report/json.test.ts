import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPieces, renderJson, writeJson } from '../../src/report/json.js';
import type { ClusterSnapshot } from '../../src/core/snapshot.js';
import { ClusterModel } from '../../src/core/model/cluster-model.js';
import { stateTimeoutSnapshot } from './fixture.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/analyze.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

describe('renderJson and schema/analyze.schema.json', () => {
  it('prints a snapshot that validates against the schema', () => {
    const parsed = JSON.parse(renderJson(stateTimeoutSnapshot()));
    const ok = validate(parsed);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(Object.keys(parsed)).toEqual(expect.arrayContaining(['version', 'inputs', 'nodes', 'membership', 'transfers', 'latency', 'findings', 'counts']));
  });

  it('validates an empty model too', () => {
    expect(validate(JSON.parse(renderJson(new ClusterModel().snapshot())))).toBe(true);
  });

  it('rejects a snapshot that breaks the contract', () => {
    const bad = JSON.parse(renderJson(stateTimeoutSnapshot()));
    bad.transfers[0].outcome = 'maybe';
    delete bad.counts;
    expect(validate(bad)).toBe(false);
  });
});

describe('the JSON is made in pieces', () => {
  /** What writeJson writes, through a stream that holds only 1 KiB before it asks the writer to wait. */
  async function written(snapshot: ClusterSnapshot): Promise<{ text: string; writes: number }> {
    const out = new PassThrough({ highWaterMark: 1024 });
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeJson(snapshot, out);
    out.end();
    return { text: Buffer.concat(chunks).toString('utf8'), writes: chunks.length };
  }

  it('is exactly JSON.stringify(snapshot, null, 2) and a newline, for real snapshots', async () => {
    for (const snap of [stateTimeoutSnapshot(), new ClusterModel().snapshot()]) {
      const whole = `${JSON.stringify(snap, null, 2)}\n`;
      expect(renderJson(snap)).toBe(whole);
      expect((await written(snap)).text).toBe(whole);
    }
  });

  it('is exactly JSON.stringify for any object (arrays, nesting, undefined members and elements, empty ones)', () => {
    const value = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.array(fc.oneof(fc.jsonValue(), fc.constant(undefined))));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value), (obj) => {
        expect([...jsonPieces(obj)].join('')).toBe(`${JSON.stringify(obj, null, 2)}\n`);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a large snapshot in several writes, waiting for the stream to drain', async () => {
    const snap = stateTimeoutSnapshot();
    const big = { ...snap, findings: Array.from({ length: 2000 }, (_, i) => ({ ...snap.findings[0], message: `finding ${i}` })) };
    const { text, writes } = await written(big);
    expect(text).toBe(`${JSON.stringify(big, null, 2)}\n`);
    expect(writes).toBeGreaterThan(3);
  });
});
