import type { Key } from 'ink';
import { expect, test } from 'vitest';
import { splitChunk } from '../../src/ui/hooks/use-dashboard-keys.js';

const NONE = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false } as Key;

test('keys that arrive in one read are handled one by one', () => {
  const parts = splitChunk('\t+', NONE);
  expect(parts.map(([input, key]) => [input, key.tab])).toEqual([
    ['', true],
    ['+', false],
  ]);
  const typed = splitChunk('timeout\r', NONE);
  expect(typed).toHaveLength(8);
  expect(typed[7][1].return).toBe(true);
});

test('escape sequences and single keys pass through whole', () => {
  expect(splitChunk('\u001b[A', NONE)).toHaveLength(1);
  expect(splitChunk('q', NONE)).toEqual([['q', NONE]]);
});
