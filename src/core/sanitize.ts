// Log text is untrusted: an attacker can put escape sequences into a request parameter that the
// application logs. Everything from a log is cleaned before it reaches a terminal.

// ESC-introduced sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/SOS/PM/APC (ESC P|X|^|_ … ST),
// and two-byte escapes (ESC + one char). C1 forms (0x9B CSI, 0x9D OSC, 0x90 DCS …) are handled the same way.
const ESCAPE_SEQUENCE =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]?/g;
// Remaining C0 (except TAB), DEL, C1, and the Unicode bidi controls that reorder what a reader sees.
const CONTROL_CHARS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Remove escape sequences and control characters; TAB becomes a space. Safe for any terminal. */
export function sanitizeForTerminal(text: string): string {
  // Fast path: most log text is plain printable ASCII.
  if (!/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  return text.replace(ESCAPE_SEQUENCE, '').replace(/\t/g, ' ').replace(CONTROL_CHARS, '');
}

/** `sanitizeForTerminal` applied to each line of a multi-line text; the line breaks are kept. */
export function sanitizeLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => sanitizeForTerminal(line))
    .join('\n');
}
