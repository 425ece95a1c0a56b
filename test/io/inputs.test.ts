import { mkdtemp, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { nodeNameFor, resolveInputs } from '../../src/io/inputs.js';
import { LensError } from '../../src/core/errors.js';
import { CORPUS } from '../helpers/corpus.js';


describe('resolveInputs', () => {
  test('a scenario directory yields every catalina file, grouped by node directory', async () => {
    const inputs = await resolveInputs([join(CORPUS, 'steady')]);
    expect(inputs.map((i) => i.node)).toEqual(['tomcat1', 'tomcat1', 'tomcat2', 'tomcat2', 'tomcat3', 'tomcat3']);
    // The dated file sorts before catalina.out inside a node; access logs are not logs of ours.
    expect(inputs.slice(0, 2).map((i) => i.kind)).toEqual(['dated', 'console']);
    expect(inputs.some((i) => i.path.includes('localhost_access_log'))).toBe(false);
  });

  test('a rotated set is read oldest first', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lens-inputs-'));
    const node = join(dir, 'node1');
    await mkdir(node);
    const src = join(CORPUS, 'steady/tomcat1/catalina.out');
    for (const name of ['catalina.out', 'catalina.out.1', 'catalina.out.2.gz', 'catalina.2013-11-06.log.gz', 'catalina.2013-11-05.log']) {
      await copyFile(src, join(node, name));
    }
    const inputs = await resolveInputs([dir]);
    expect(inputs.map((i) => i.path.slice(node.length + 1))).toEqual([
      'catalina.2013-11-05.log',
      'catalina.2013-11-06.log.gz',
      'catalina.out.2.gz',
      'catalina.out.1',
      'catalina.out',
    ]);
  });

  test('globs expand; a missing path is INPUT_NOT_FOUND naming it', async () => {
    const inputs = await resolveInputs([join(CORPUS, 'steady/*/catalina.out')]);
    expect(inputs.map((i) => i.node)).toEqual(['tomcat1', 'tomcat2', 'tomcat3']);
    await expect(resolveInputs([join(CORPUS, 'nope.log')])).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    await expect(resolveInputs([join(CORPUS, 'nope/*.log')])).rejects.toBeInstanceOf(LensError);
  });

  test('a directory without logs is a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lens-empty-'));
    await writeFile(join(dir, 'notes.txt'), 'x');
    await expect(resolveInputs([dir])).rejects.toThrow(/no catalina logs/);
  });

  test('node names: --node, then the directory of a catalina.* file, then the stem', () => {
    expect(nodeNameFor('logs/node1/catalina.out')).toBe('node1');
    expect(nodeNameFor('logs/node1/catalina.2026-11-26.log')).toBe('node1');
    expect(nodeNameFor('public/has3ong-tomcat9-was1.log')).toBe('has3ong-tomcat9-was1');
    expect(nodeNameFor('logs/node1/catalina.out', { web1: 'logs/node1' })).toBe('web1');
    expect(nodeNameFor('-', { web2: '-' })).toBe('web2');
  });
});
