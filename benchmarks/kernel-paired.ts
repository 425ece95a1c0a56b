// Is this checkout's line-scan kernel faster than another checkout's? The kernels alone, without
// the processes around them (bench:paired times whole runs, where a kernel change of 10% is a few
// percent of the wall time, inside this machine's noise): one bench file read into memory, cut
// into the scan thread's 2 MiB chunks of whole lines, each chunk copied into both kernels' read
// slots and scanned. First every chunk's reports are compared (exit 1 if the kernels disagree),
// then the passes are timed, the two kernels' order swapped every pass; printed: each kernel's
// median pass and the paired ratio of each pass.
//
//   node --import tsx benchmarks/kernel-paired.ts --base DIR [--passes 30] [--file PATH]
//
// DIR is another checkout with its own `npm run build` done (its dist/core/line-scan.js is loaded).
// The default file is node1's catalina.out of the 4 × 256 MiB bench input (generated if missing).

import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchArgs, usageError } from './args.js';
import { generate } from './generate.js';
import { summary } from './stats.js';
import { InputParser } from '../src/core/input-parser.js';
import { loadGrammarsSync } from '../src/io/grammar-files.js';
import { LineScanKernel, REPORT_INTS } from '../src/core/line-scan.js';
import { SCAN_CHUNK_BYTES } from '../src/pipeline/scan-thread.js';

const USAGE = 'usage: node --import tsx benchmarks/kernel-paired.ts --base DIR [--passes 30] [--file PATH]';
const args = benchArgs({ base: { type: 'string' }, passes: { type: 'string', default: '30' }, file: { type: 'string' } }, USAGE);

type Kernel = Pick<LineScanKernel, 'readBuffer' | 'loadSlot' | 'scanAll'>;

async function main(): Promise<void> {
  if (!args.base) usageError('--base is required', USAGE);
  const baseModule = join(resolve(args.base), 'dist/core/line-scan.js');
  if (!existsSync(baseModule)) usageError(`${baseModule} is missing: run \`npm run build\` in that checkout`, USAGE);
  const passes = Number(args.passes);
  if (!Number.isInteger(passes) || passes < 2) usageError('--passes must be a whole number of at least 2', USAGE);
  if (args.file !== undefined && !existsSync(args.file)) usageError(`${args.file}: no such file`, USAGE);
  const file = args.file ?? generate({ nodes: 4, bytesPerNode: 256 * 1024 * 1024 }).files[0];
  const data = readFileSync(file);
  // The plan a parser of this file gives the scan thread (from its first MiB).
  const grammars = loadGrammarsSync();
  const parser = new InputParser({ file, node: 'n', formats: grammars.formats, events: grammars.events }, () => {});
  parser.push(data.subarray(0, 1 << 20));
  const setup = parser.scanSetup;
  if (!setup) throw new Error(`${file}: not a file the line-scan kernel reads (its format is not on the byte path)`);
  const Base = ((await import(pathToFileURL(baseModule).href)) as { LineScanKernel: typeof LineScanKernel }).LineScanKernel;
  const kernels: Array<{ name: 'base' | 'this'; kernel: Kernel }> = [
    { name: 'base', kernel: Base.create(setup.plan, true)! },
    { name: 'this', kernel: LineScanKernel.create(setup.plan, true)! },
  ];
  const slots = kernels.map((k) => k.kernel.readBuffer(SCAN_CHUNK_BYTES, 0));
  const chunks: Array<[number, number]> = [];
  for (let at = 0; at < data.length; ) {
    const end = at + SCAN_CHUNK_BYTES >= data.length ? data.length : data.lastIndexOf(0x0a, at + SCAN_CHUNK_BYTES - 1) + 1;
    chunks.push([at, end]);
    at = end;
  }
  let differing = 0;
  for (const [from, to] of chunks) {
    const [a, b] = kernels.map(({ kernel }, i) => {
      data.copy(slots[i], 0, from, to);
      kernel.loadSlot(SCAN_CHUNK_BYTES, 0, to - from);
      const r = kernel.scanAll(setup.maxLineBytes);
      return { ...r, entries: Buffer.from(r.entries.buffer, r.entries.byteOffset, r.count * REPORT_INTS * 4) };
    });
    if (a.count !== b.count || a.lines !== b.lines || a.ascii !== b.ascii || !a.entries.equals(b.entries)) differing++;
  }
  const times = { base: [] as number[], this: [] as number[] };
  for (let p = 0; p < passes; p++) {
    for (const { name, kernel } of p % 2 === 0 ? kernels : [...kernels].reverse()) {
      const slot = slots[name === 'base' ? 0 : 1];
      let ms = 0;
      for (const [from, to] of chunks) {
        data.copy(slot, 0, from, to);
        kernel.loadSlot(SCAN_CHUNK_BYTES, 0, to - from);
        const t = performance.now();
        kernel.scanAll(setup.maxLineBytes);
        ms += performance.now() - t;
      }
      times[name].push(ms);
    }
  }
  const lines = [
    `${passes} passes over ${file} (${(data.length / 2 ** 20).toFixed(0)} MiB, ${chunks.length} chunks)`,
    `base ms a pass:      ${summary(times.base)}`,
    `this ms a pass:      ${summary(times.this)}`,
    `this ÷ base, paired: ${summary(times.this.map((t, i) => t / times.base[i]))}`,
    differing === 0 ? 'reports: the same for every chunk' : `reports: ${differing} of ${chunks.length} chunks differ`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (differing > 0) process.exitCode = 1;
}

await main();
