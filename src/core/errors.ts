// Errors with a stable `code`, so callers can branch on the kind of failure, not on its wording.

export type LensErrorCode =
  | 'GRAMMAR_INVALID_JSON'
  | 'GRAMMAR_SCHEMA'
  | 'GRAMMAR_INVALID_REGEX'
  | 'GRAMMAR_UNSAFE_REGEX'
  | 'GRAMMAR_NO_SAMPLES'
  | 'GRAMMAR_SAMPLE_UNMATCHED'
  | 'GRAMMAR_SAMPLE_AMBIGUOUS'
  | 'GRAMMAR_SAMPLE_MISMATCH'
  | 'GRAMMAR_BAD_TIMESTAMP'
  | 'GRAMMAR_DUPLICATE'
  | 'INVALID_OPTION'
  | 'INPUT_UNREADABLE'
  | 'INPUT_NOT_FOUND';

export interface LensErrorDetails {
  /** The file the error is about. */
  file?: string;
  /** JSON pointer inside that file (`/oneline/patterns/std/pattern`). */
  pointer?: string;
  /** Why, in one line. */
  reason?: string;
  /** What to do about it. */
  help?: string;
}

export class LensError extends Error {
  readonly code: LensErrorCode;
  readonly file?: string;
  readonly pointer?: string;
  readonly reason?: string;
  readonly help?: string;

  constructor(code: LensErrorCode, message: string, details: LensErrorDetails = {}) {
    super(message);
    this.name = 'LensError';
    this.code = code;
    this.file = details.file;
    this.pointer = details.pointer;
    this.reason = details.reason;
    this.help = details.help;
  }
}

/** lnav-style multi-line rendering: `error: …` / `reason: …` / `--> file#pointer` / `= help: …`. */
export function formatLensError(err: LensError): string {
  const lines = [`error: ${err.message}`];
  if (err.reason) lines.push(`reason: ${err.reason}`);
  if (err.file) lines.push(` --> ${err.file}${err.pointer ? `#${err.pointer}` : ''}`);
  if (err.help) lines.push(` = help: ${err.help}`);
  return lines.join('\n');
}
