// `node --import ./track-reads.mjs ...`: appends the path of every file the process reads with
// fs.readFileSync to the file named by TRACK_READS, one a line. Lets a test see which files a CLI
// command reads. ES modules that import readFileSync from node:fs see the wrapper once the builtin's
// exports are synced.
import fs, { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const out = process.env.TRACK_READS;
const readFileSync = fs.readFileSync;
fs.readFileSync = function trackedReadFileSync(path, ...rest) {
  if (out && (typeof path === 'string' || path instanceof URL)) appendFileSync(out, `${String(path)}\n`);
  return readFileSync.call(this, path, ...rest);
};
syncBuiltinESMExports();
