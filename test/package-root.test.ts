import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PACKAGE, findPackage } from '../src/package-root.js';

const ROOT = join(import.meta.dirname, '..');

describe('findPackage', () => {
  test('finds this package from src/', () => {
    expect(PACKAGE.root).toBe(ROOT);
    expect(PACKAGE.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  test('walks past package.json files of other packages and stray ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'package-root-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'catalina-lens', version: '9.9.9' }));
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(root, 'dist', 'cli', 'package.json'), '{ not json');
    expect(findPackage(join(root, 'dist', 'cli'))).toEqual({ root, version: '9.9.9' });
  });

  test('says so when there is none', () => {
    expect(() => findPackage(mkdtempSync(join(tmpdir(), 'no-package-')))).toThrow(/package.json of catalina-lens not found/);
  });
});
