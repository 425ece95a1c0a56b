// The long fuzz run: `npx tsx test/fuzz/run.ts [--cases 10000] [--seed N] [--verbose]`.
// Real corpus logs mutated at random (see harness.ts) through the library in-process. Reports the
// number of cases, crashes (the program threw) and invariant failures, with the seed and the path
// to replay a failure: `--seed N --path P`. Exits 1 when any case crashed or broke an invariant.

import fc from 'fast-check';
import { corpusFiles, fuzzCase, grammars, runCase, type FuzzCase } from './harness.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const cases = Number(arg('cases') ?? 10_000);
const seed = arg('seed') !== undefined ? Number(arg('seed')) : Date.now() ^ (Math.random() * 0x7fffffff);
const path = arg('path');
const verbose = process.argv.includes('--verbose');

if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: tsx test/fuzz/run.ts [--cases N] [--seed N] [--path P] [--verbose]\n');
  process.exit(2);
}

corpusFiles();
grammars();
let crashes = 0;
let failures = 0;
let ran = 0;
const examples: string[] = [];
const started = Date.now();

// Every case is run and counted (no shrinking to the first failure): the property itself never
// fails; failures are tallied, and the first few are printed with their case to replay.
await fc.assert(
  fc.asyncProperty(fuzzCase, async (c: FuzzCase) => {
    ran++;
    try {
      const broken = await runCase(c);
      if (broken.length > 0) {
        failures++;
        if (examples.length < 5) examples.push(`invariant: ${broken.join('; ')}\n  case: ${JSON.stringify(c)}`);
      }
    } catch (err) {
      crashes++;
      if (examples.length < 5) examples.push(`crash: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n  case: ${JSON.stringify(c)}`);
    }
    if (verbose && ran % 500 === 0) process.stderr.write(`${ran} cases, ${crashes} crashes, ${failures} invariant failures\n`);
    return true;
  }),
  { numRuns: cases, seed, path, endOnFailure: true },
);

const secs = ((Date.now() - started) / 1000).toFixed(1);
for (const e of examples) process.stdout.write(`${e}\n`);
process.stdout.write(`fuzz: ${ran} cases, ${crashes} crashes, ${failures} invariant failures, ${secs} s, seed ${seed} (replay: npx tsx test/fuzz/run.ts --cases ${cases} --seed ${seed})\n`);
process.exitCode = crashes + failures > 0 ? 1 : 0;
