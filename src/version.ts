// Read once from package.json so that `--version` and the JSON output never disagree with the package.
import { PACKAGE } from './package-root.js';

export const VERSION: string = PACKAGE.version;
