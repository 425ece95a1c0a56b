// `npm run bench:paired -- --base DIR`: is this checkout's CLI faster than another checkout's? On
// this shared 2-vCPU machine the same build moves by ±25% within minutes, so a best-of-3 table
// (run.ts) cannot tell a 3% change. This runs grep, the other build and this one over the bench
// input round after round (the two builds' order swapped every round, so neither always meets the
// machine's state first) and reports the ratio of each round's pair: their median and quartiles.
// It also checks that both builds wrote the same output.
//
//   node --import tsx benchmarks/paired.ts --base DIR [--rounds 20] [--size 256M] [--nodes 4] [--args "analyze --json"]
//
// DIR is another checkout with its own `npm run build` done (e.g. `git worktree add /tmp/base HEAD~1`,
// a node_modules link, `npm run build` there). Wall times are taken around each process here.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs, usageError } from './args.js';
import { generate, parseSize } from './generate.js';
import { summary } from './stats.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const USAGE = 'usage: node --import tsx benchmarks/paired.ts --base DIR [--rounds 20] [--size 256M] [--nodes 4] [--args "analyze --json"]';

const args = benchArgs(
  {
    base: { type: 'string' },
    rounds: { type: 'string', default: '20' },
    size: { type: 'string', default: '256M' },
    nodes: { type: 'string', default: '4' },
    args: { type: 'string', default: 'analyze --json' },
  },
  USAGE,
);

/** One run: wall seconds and the md5 of what it wrote. grep's output is piped too (GNU grep stops at the first match when it writes to /dev/null). */
function run(cmd: string, argv: string[]): { wall: number; md5: string } {
  const t = process.hrtime.bigint();
  const res = spawnSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t) / 1e9;
  if (res.error) throw res.error;
  if (res.status !== 0 && !(cmd === 'grep' && res.status === 1)) throw new Error(`${cmd} ${argv.slice(0, 3).join(' ')} … exited ${res.status}: ${res.stderr.toString().slice(-500)}`);
  return { wall, md5: createHash('md5').update(res.stdout).digest('hex') };
}

function main(): void {
  if (!args.base) usageError('--base is required', USAGE);
  const baseCli = join(resolve(args.base), 'dist/cli/main.cjs');
  const thisCli = join(ROOT, 'dist/cli/main.cjs');
  for (const cli of [baseCli, thisCli]) if (!existsSync(cli)) usageError(`${cli} is missing: run \`npm run build\` in that checkout`, USAGE);
  const rounds = Number(args.rounds);
  if (!Number.isInteger(rounds) || rounds < 2) usageError('--rounds must be a whole number of at least 2', USAGE);
  const g = generate({ nodes: Number(args.nodes), bytesPerNode: parseSize(args.size!) });
  const cliArgs = args.args!.split(/\s+/).filter(Boolean);
  const builds = [
    { name: 'base', argv: [baseCli, ...cliArgs, ...g.files] },
    { name: 'this', argv: [thisCli, ...cliArgs, ...g.files] },
  ];
  spawnSync('cat', g.files, { stdio: 'ignore' }); // into the page cache (its output is not kept)
  const walls = { grep: [] as number[], base: [] as number[], this: [] as number[] };
  const outputs = new Set<string>();
  for (let r = 0; r < rounds; r++) {
    walls.grep.push(run('grep', ['-c', 'Replication member added', ...g.files]).wall);
    for (const b of r % 2 === 0 ? builds : [...builds].reverse()) {
      const { wall, md5 } = run(process.execPath, b.argv);
      walls[b.name as 'base' | 'this'].push(wall);
      outputs.add(md5);
    }
    process.stderr.write(`round ${r + 1}/${rounds}: grep ${walls.grep[r].toFixed(3)} s, base ${walls.base[r].toFixed(3)} s, this ${walls.this[r].toFixed(3)} s\n`);
  }
  const per = (k: 'base' | 'this', over: number[]): number[] => walls[k].map((w, i) => w / over[i]);
  const lines = [
    `${rounds} rounds of \`${args.args}\` over ${g.files.length} × ${args.size} (${g.dir})`,
    `grep -c wall s:     ${summary(walls.grep)}`,
    `base wall s:        ${summary(walls.base)}`,
    `this wall s:        ${summary(walls.this)}`,
    `this ÷ base, paired: ${summary(per('this', walls.base))}`,
    `base × grep:        ${summary(per('base', walls.grep))}`,
    `this × grep:        ${summary(per('this', walls.grep))}`,
    outputs.size === 1 ? 'outputs: the same in every run' : `outputs: ${outputs.size} different (the builds do not agree, or a run differed)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (outputs.size !== 1) process.exitCode = 1;
}

main();
