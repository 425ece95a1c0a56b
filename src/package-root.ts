// Where the package is installed: the directory of its package.json. Found by walking up from this
// module, not by a fixed `../..`: the module runs from src/ (tests), dist/ (the library) and the
// CLI bundle in dist/cli/, each at a different depth.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'catalina-lens';

export interface PackageInfo {
  /** Absolute path of the directory holding package.json, grammars/ and samples/. */
  root: string;
  version: string;
}

/** The first package.json named catalina-lens above `from` (a stray one, e.g. `{"type":"module"}` in dist/, is passed over). */
export function findPackage(from: string): PackageInfo {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = readPackageJson(join(dir, 'package.json'));
    if (pkg?.name === NAME) return { root: dir, version: String(pkg.version) };
    if (dirname(dir) === dir) throw new Error(`package.json of ${NAME} not found above ${from}`);
  }
}

function readPackageJson(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // absent or not JSON: keep walking
  }
}

export const PACKAGE: PackageInfo = findPackage(dirname(fileURLToPath(import.meta.url)));
