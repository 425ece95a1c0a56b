// Which files inside a directory are catalina logs. Shared by `analyze` (directory expansion) and
// `tail` (new files appearing in a watched directory).

import { basename } from 'node:path';

/** `catalina.out`, `catalina.out.1`, `catalina.2013-11-05.log`, `catalina.2013-11-06.log.gz`, `*.out`. */
const LOG_FILE_NAME = /^(?:catalina\.out(?:\.\d+)?(?:\.gz)?|catalina\.[^/]*\.log(?:\.\d+)?(?:\.gz)?|[^/]+\.out(?:\.\d+)?(?:\.gz)?)$/;

export function isLogFileName(path: string): boolean {
  return LOG_FILE_NAME.test(basename(path));
}
