// The styles of the text report. Without colour they return their text unchanged (as chalk does at
// level 0), so chalk, ~10 ms to load at start, is imported only when colour is on.

export type Style = (text: string) => string;

/** The styles renderText uses; a chalk instance has them all. */
export interface Paint {
  bold: Style;
  dim: Style;
  red: Style & { bold: Style };
  green: Style;
  cyan: Style;
  yellow: Style;
  blue: Style;
}

const same: Style = (text) => text;

export const PLAIN: Paint = { bold: same, dim: same, red: Object.assign((text: string) => text, { bold: same }), green: same, cyan: same, yellow: same, blue: same };

/** chalk at level 1 (the 16 basic colours), loaded on demand. */
export async function colorPaint(): Promise<Paint> {
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}
