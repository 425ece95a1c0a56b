// `node --import ./track-imports.mjs ...`: appends the URL of every module the process loads (ES
// modules and builtins) to the file named by TRACK_IMPORTS, one a line. Lets a test see what a CLI
// command loads.
import { register } from 'node:module';

register('./track-imports-hooks.mjs', import.meta.url);
