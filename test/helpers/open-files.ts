// The files a test's own process has open (Linux /proc): to check that readers close theirs.

import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** The paths of the files this process has open. */
export function openFiles(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(join('/proc/self/fd', fd))];
    } catch {
      return [];
    }
  });
}
