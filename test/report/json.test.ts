import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
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
