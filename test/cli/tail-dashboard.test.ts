// `catalina-lens tail` in a real terminal (tmux): the live dashboard is taken down when --fail-on
// ends tail, and q ends both the dashboard and the plain --text output. Needs tmux and a built dist/.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.cjs');
const SESSION = `lens-tail-${process.pid}`;
let work: string;

const range = (rel: string, from: number, to: number): string =>
  readFileSync(join(CORPUS, rel), 'utf8')
    .split('\n')
    .slice(from - 1, to)
    .map((l) => `${l}\n`)
    .join('');

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen was:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function screen(): string {
  try {
    return tmux('capture-pane', '-p', '-t', SESSION);
  } catch {
    return '(no session)';
  }
}

/** Runs `tail ARGS` in a fresh tmux session; resolves the exit code file's path. */
async function run(name: string, args: string[]): Promise<{ dir: string; file: string; exitFile: string }> {
  const dir = join(work, name);
  const file = join(dir, 'tomcat2/catalina.out');
  await mkdir(join(dir, 'tomcat2'), { recursive: true });
  await writeFile(file, '');
  const exitFile = join(work, `${name}.exit`);
  const cmd = `node ${CLI} tail --tz UTC --partial-ms 300 ${args.join(' ')} ${dir}; echo $? > ${exitFile}; sleep 60`;
  tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', '-e', 'CI=false', '-e', 'NO_COLOR=1', cmd);
  return { dir, file, exitFile };
}

const exitCode = (exitFile: string): number | undefined => (existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '' ? Number(readFileSync(exitFile, 'utf8')) : undefined);

describe('tail in a terminal', () => {
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run npm run build first (npm test does it)');
    work = await mkdtemp(join(tmpdir(), 'tail-tmux-'));
  });
  afterEach(() => {
    try {
      tmux('kill-session', '-t', SESSION);
    } catch {
      // already gone
    }
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('--fail-on takes the live dashboard down and exits 3', async () => {
    const { file, exitFile } = await run('fail-on', ['--fail-on', 'timeout']);
    await waitFor('the live dashboard', () => (screen().includes('LIVE') ? true : undefined));
    // state-timeout/tomcat2: the state transfer request at line 46, its SEVERE timeout at 47.
    await appendFile(file, range('state-timeout/tomcat2/catalina.out', 1, 48));
    expect(await waitFor('exit', () => exitCode(exitFile))).toBe(3);
    // The terminal is handed back: the shell's `sleep 60` runs, no frame is redrawn any more.
    const after = screen();
    await new Promise((r) => setTimeout(r, 500));
    expect(screen()).toBe(after);
  }, 40_000);

  it('q ends the dashboard with exit 0', async () => {
    const { exitFile } = await run('quit-dashboard', []);
    await waitFor('the live dashboard', () => (screen().includes('LIVE') ? true : undefined));
    tmux('send-keys', '-t', SESSION, 'q');
    expect(await waitFor('exit', () => exitCode(exitFile))).toBe(0);
  }, 40_000);

  it('q ends --text with exit 0', async () => {
    const { file, exitFile } = await run('quit-text', ['--text']);
    // Lines appended before tail has opened the file are not shown (it starts at the end): append
    // until they are.
    const shown = (): true | undefined => (screen().includes('receiver-bound') ? true : undefined);
    for (let i = 0; i < 10 && !shown(); i++) {
      await appendFile(file, range('steady/tomcat1/catalina.out', 36, 48));
      await waitFor('event lines', shown, 2500).catch(() => undefined);
    }
    await waitFor('event lines', shown);
    tmux('send-keys', '-t', SESSION, 'q');
    expect(await waitFor('exit', () => exitCode(exitFile))).toBe(0);
  }, 40_000);
});
