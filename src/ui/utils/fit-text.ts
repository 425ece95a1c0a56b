/** Cut `text` to `width` columns (code points), ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width === 1) return '…';
  return chars.slice(0, width - 1).join('') + '…';
}

/** Cut or pad `text` to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const gap = Math.max(0, width - Array.from(cut).length);
  return align === 'left' ? cut + ' '.repeat(gap) : ' '.repeat(gap) + cut;
}
