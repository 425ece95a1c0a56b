// The CLI lowers V8's inlining budget for large inputs (src/cli/v8-tuning.ts). A V8 flag cannot be
// read back, but V8 keys its code caches to the flags: a cache made before the flag changed is
// refused after it. Each case runs in a child process, so that this one's flags stay as they are.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TUNE_MIN_BYTES } from '../../src/cli/v8-tuning.js';

const TUNING = join(import.meta.dirname, '../../dist/cli/v8-tuning.js');

/** Calls tuneV8ForInputs(bytes, version) in a fresh Node: what it returned, and whether V8's flags changed. */
function tuneInChild(bytes: number, version?: string, env: Record<string, string> = {}): { returned: boolean; flagsChanged: boolean } {
  const script = `
    import { Script } from 'node:vm';
    import { tuneV8ForInputs } from ${JSON.stringify(TUNING)};
    const source = 'function probe(a) { return a + 1 }';
    const cachedData = new Script(source, { filename: 'before.js' }).createCachedData();
    const returned = tuneV8ForInputs(${bytes}${version ? `, ${JSON.stringify(version)}` : ''});
    // Another name: the same one would be served from V8's compilation cache, without a look at the data.
    const flagsChanged = new Script(source, { filename: 'after.js', cachedData }).cachedDataRejected === true;
    console.log(JSON.stringify({ returned, flagsChanged }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { returned: boolean; flagsChanged: boolean };
}

describe('tuneV8ForInputs', () => {
  const nodeV8 = process.versions.v8.startsWith('11.3.');

  test.runIf(nodeV8)('sets the flag for inputs of TUNE_MIN_BYTES and more, on the V8 it was measured with', () => {
    expect(tuneInChild(TUNE_MIN_BYTES)).toEqual({ returned: true, flagsChanged: true });
  });

  test('leaves V8 alone for smaller inputs, on another V8, and with CATALINA_LENS_V8_TUNING=0', () => {
    expect(tuneInChild(TUNE_MIN_BYTES - 1)).toEqual({ returned: false, flagsChanged: false });
    expect(tuneInChild(TUNE_MIN_BYTES, '12.4.254.21-node.33')).toEqual({ returned: false, flagsChanged: false });
    expect(tuneInChild(TUNE_MIN_BYTES, undefined, { CATALINA_LENS_V8_TUNING: '0' })).toEqual({ returned: false, flagsChanged: false });
  });
});
