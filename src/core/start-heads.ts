// What a start line of a format must begin with, known from its grammar: one of some literal words
// (month names, level names, a literal) or one character of a set (a digit). It lets the byte path
// rule out most lines as another format's start without decoding them: a stack trace's `Caused by`
// begins with `C` like `CONFIG`, but with no level word.

/** A match begins with one of `words`, or with a character of `chars`. */
export interface Heads {
  words: readonly string[];
  chars: string;
}

export function wordHeads(words: Iterable<string>): Heads {
  return { words: [...new Set(words)].filter((w) => w !== ''), chars: '' };
}

export function charHeads(chars: string): Heads {
  return { words: [], chars };
}

/** Heads of an alternation: undefined when any branch can begin with anything. */
export function unionHeads(list: ReadonlyArray<Heads | undefined>): Heads | undefined {
  const words: string[] = [];
  let chars = '';
  for (const h of list) {
    if (h === undefined) return undefined;
    words.push(...h.words);
    chars += h.chars;
  }
  return { words: [...new Set(words)], chars: [...new Set(chars)].join('') };
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
  /** Per first byte: 0 nothing begins with it, 1 anything may follow, 2 one of `words[byte]` must begin the line. */
  private readonly kind = new Uint8Array(256);
  private readonly words: Buffer[][] = [];

  private constructor(heads: readonly Heads[]) {
    for (const h of heads) {
      for (const c of h.chars) {
        const bytes = Buffer.from(c);
        // A non-ASCII character: any lead byte (the other bytes are not looked at)
        if (bytes.length > 1) this.kind.fill(1, 0x80);
        else this.kind[bytes[0]] = 1;
      }
      for (const w of h.words) {
        const bytes = Buffer.from(w);
        const b = bytes[0];
        if (this.kind[b] === 1) continue;
        this.kind[b] = 2;
        (this.words[b] ??= []).push(bytes);
      }
    }
    // A byte that anything may follow needs no word list.
    for (let b = 0; b < 256; b++) if (this.kind[b] === 1) delete this.words[b];
  }

  /** Undefined when some pattern's heads are not known (any line may start it). */
  static of(heads: ReadonlyArray<Heads | undefined>): HeadTable | undefined {
    if (heads.some((h) => h === undefined)) return undefined;
    return new HeadTable(heads as Heads[]);
  }

  /** Whether the bytes at `[start, end)` (a line of valid UTF-8) may begin a match. */
  mayStart(buf: Uint8Array, start: number, end: number): boolean {
    if (start >= end) return false;
    const k = this.kind[buf[start]];
    if (k !== 2) return k === 1;
    for (const w of this.words[buf[start]]) {
      if (end - start < w.length) continue;
      let j = 1;
      while (j < w.length && buf[start + j] === w[j]) j++;
      if (j === w.length) return true;
    }
    return false;
  }
}
