// What a start line of a format must begin with, known from its grammar: one of some literal words
// (month names, level names, a literal) or one character of a set (a digit), and what can follow
// that character. It lets the byte path rule out most lines as another format's start without
// decoding them: a stack trace's `Caused by` begins with `C` like `CONFIG`, but with no level word,
// and a JSP error's `1: <%` with a digit, but no date goes on with a colon.

/**
 * A match begins with one of `words`, or with a character of `chars`; after such a character comes
 * one of `follow`, after such a word one of `after` (undefined: anything).
 */
export interface Heads {
  words: readonly string[];
  chars: string;
  follow?: string;
  after?: string;
}

export function wordHeads(words: Iterable<string>, after?: string): Heads {
  const heads: Heads = { words: [...new Set(words)].filter((w) => w !== ''), chars: '' };
  if (after !== undefined) heads.after = after;
  return heads;
}

export function charHeads(chars: string, follow?: string): Heads {
  return follow === undefined ? { words: [], chars } : { words: [], chars, follow };
}

/** Heads of an alternation: undefined when any branch can begin with anything. */
export function unionHeads(list: ReadonlyArray<Heads | undefined>): Heads | undefined {
  const words: string[] = [];
  let chars = '';
  let follow: string | undefined = '';
  let after: string | undefined = '';
  for (const h of list) {
    if (h === undefined) return undefined;
    words.push(...h.words);
    chars += h.chars;
    if (h.chars !== '') follow = h.follow === undefined || follow === undefined ? undefined : follow + h.follow;
    if (h.words.length > 0) after = h.after === undefined || after === undefined ? undefined : after + h.after;
  }
  const out: Heads = { words: [...new Set(words)], chars: [...new Set(chars)].join('') };
  if (out.chars !== '' && follow !== undefined) out.follow = [...new Set(follow)].join('');
  if (out.words.length > 0 && after !== undefined) out.after = [...new Set(after)].join('');
  return out;
}

/** The first UTF-16 units the heads allow. */
export function headChars(h: Heads): string {
  return [...new Set([...h.chars, ...h.words.map((w) => w[0])])].join('');
}

/**
 * The heads of several patterns as a table on UTF-8 bytes. `mayStart` is false only when the line
 * begins with none of them, so no pattern of these heads can match it.
 */
export class HeadTable {
  /**
   * Per first byte: 0 nothing begins with it, 1 anything may follow, 2 one of `words[byte]` must
   * begin the line, 3 the second byte must be in `follow[byte]`.
   */
  private readonly kind = new Uint8Array(256);
  private readonly words: HeadWord[][] = Array.from({ length: 256 }, () => []);
  private readonly follow: Array<Uint8Array | undefined> = Array.from({ length: 256 }, () => undefined);
  /** `secondBytes`, made on first use. */
  private pairs: Uint8Array | undefined;

  private constructor(heads: readonly Heads[]) {
    const { kind } = this;
    const allowAfter = (b: number, second: number | undefined): void => {
      if (kind[b] === 1) return;
      // A one-byte word, or an unknown follower: anything may follow.
      if (second === undefined) {
        kind[b] = 1;
        return;
      }
      kind[b] = 3;
      (this.follow[b] ??= new Uint8Array(256))[second] = 1;
    };
    for (const h of heads) {
      for (const c of h.chars) {
        const bytes = Buffer.from(c);
        if (bytes.length > 1) {
          // A non-ASCII character: any lead byte (the other bytes are not looked at)
          for (let b = 0x80; b < 0x100; b++) kind[b] = 1;
          continue;
        }
        if (h.follow === undefined) allowAfter(bytes[0], undefined);
        for (const f of h.follow ?? '') allowAfter(bytes[0], Buffer.from(f)[0]);
      }
    }
    // Words: a list per first byte, or, where a follower set is kept, their second bytes in it.
    for (const h of heads) {
      const after = h.after === undefined ? undefined : byteSet(h.after);
      for (const w of h.words) {
        const bytes = Buffer.from(w);
        const b = bytes[0];
        if (kind[b] === 0 || kind[b] === 2) {
          kind[b] = 2;
          this.words[b].push({ bytes, after });
        } else allowAfter(b, bytes[1]);
      }
    }
  }

  /** Non-zero for each first byte a match may begin with (the line-scan kernel's foreign-start bits). */
  get firstBytes(): Uint8Array {
    return this.kind;
  }

  /**
   * The second bytes a match may go on with, per first byte: bit `b & 7` of byte `first * 32 + (b >> 3)`
   * (the line-scan kernel's second test). A line of one byte has its newline or `\r` as second byte,
   * which no head goes on with. Set wherever `mayStart` can be true, and more (only words' first two
   * bytes are kept).
   */
  get secondBytes(): Uint8Array {
    if (this.pairs) return this.pairs;
    const bits = new Uint8Array(256 * 32);
    const set = (first: number, second: number): void => {
      bits[first * 32 + (second >> 3)] |= 1 << (second & 7);
    };
    for (let b = 0; b < 256; b++) {
      const k = this.kind[b];
      if (k === 1 || (k === 2 && this.words[b].some((w) => w.bytes.length === 1))) bits.fill(0xff, b * 32, b * 32 + 32);
      else if (k === 2) for (const w of this.words[b]) set(b, w.bytes[1]);
      else if (k === 3) this.follow[b]!.forEach((on, second) => on && set(b, second));
    }
    return (this.pairs = bits);
  }

  /** Undefined when some pattern's heads are not known (any line may start it). */
  static of(heads: ReadonlyArray<Heads | undefined>): HeadTable | undefined {
    if (heads.some((h) => h === undefined)) return undefined;
    return new HeadTable(heads as Heads[]);
  }

  /**
   * `mayStart` for a decoded line (the general path): false only where `mayStart` on its UTF-8
   * bytes is. A non-ASCII character where the decision needs one answers true: a superset, with no
   * encoding per line.
   */
  mayStartText(text: string): boolean {
    if (text === '') return false;
    const c = text.charCodeAt(0);
    if (c >= 0x80) return true;
    const k = this.kind[c];
    if (k === 3) {
      const second = text.charCodeAt(1);
      return second >= 0x80 || (second === second && this.follow[c]![second] === 1); // NaN: one character
    }
    if (k !== 2) return k === 1;
    for (const { bytes: w, after } of this.words[c]) {
      let j = 1;
      while (j < w.length && w[j] < 0x80 && text.charCodeAt(j) === w[j]) j++;
      if (j < w.length) {
        if (w[j] >= 0x80) return true;
        continue;
      }
      // An ASCII word, a character a byte: what follows it is at the same index.
      if (after === undefined) return true;
      const next = text.charCodeAt(w.length);
      if (next >= 0x80 || (next === next && after[next] === 1)) return true; // NaN: the line ends
    }
    return false;
  }

  /**
   * Whether the bytes at `[start, end)` may begin a match. Also right for a line that is not UTF-8:
   * decoding turns its bad bytes into U+FFFD, which begins no word and follows no character here.
   */
  mayStart(buf: Uint8Array, start: number, end: number): boolean {
    if (start >= end) return false;
    const k = this.kind[buf[start]];
    if (k === 3) return end - start > 1 && this.follow[buf[start]]![buf[start + 1]] === 1;
    if (k !== 2) return k === 1;
    for (const { bytes: w, after } of this.words[buf[start]]) {
      if (end - start < w.length) continue;
      let j = 1;
      while (j < w.length && buf[start + j] === w[j]) j++;
      if (j === w.length && (after === undefined || (end - start > w.length && after[buf[start + w.length]] === 1))) return true;
    }
    return false;
  }
}

/** A word a match may begin with, and the bytes that may follow it (undefined: anything). */
interface HeadWord {
  readonly bytes: Buffer;
  readonly after: Uint8Array | undefined;
}

/** 1 for each byte that may begin one of `chars` (any lead byte for a non-ASCII character). */
function byteSet(chars: string): Uint8Array {
  const set = new Uint8Array(256);
  for (const c of chars) {
    const code = c.charCodeAt(0);
    if (code < 0x80) set[code] = 1;
    else set.fill(1, 0x80);
  }
  return set;
}
