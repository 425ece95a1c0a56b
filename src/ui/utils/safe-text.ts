import { sanitizeForTerminal } from '../../core/sanitize.js';

/**
 * Log-derived text made safe for one terminal line: line breaks become spaces, then escape
 * sequences, control and bidi characters are removed.
 */
export function safe(text: string | number | undefined | null): string {
  if (text === undefined || text === null) return '';
  return sanitizeForTerminal(String(text).replace(/\r?\n/g, ' '));
}
