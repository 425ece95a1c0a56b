// Module hooks for track-imports.mjs (they run on the loader's own thread).
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(process.env.TRACK_IMPORTS, `${result.url}\n`);
  return result;
}
