// Like ink-testing-library's render(), but with a terminal size that the test chooses and can
// change (emitting 'resize'), and a stdin that may be a non-TTY (piped).

import { EventEmitter } from 'node:events';
import { render, type Instance } from 'ink';
import type { ReactNode } from 'react';

export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = (): string | undefined => this.frames[this.frames.length - 1];
}

export class FakeStdin extends EventEmitter {
  data: string | null = null;
  constructor(public isTTY: boolean) {
    super();
  }
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {
    if (!this.isTTY) throw new Error('Raw mode is not supported');
  }
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface SizedRender {
  stdout: FakeStdout;
  stdin: FakeStdin;
  instance: Instance;
  lastFrame: () => string | undefined;
  resize(columns: number, rows: number): void;
}

export function renderSized(node: ReactNode, { columns = 100, rows = 40, isTTY = true } = {}): SizedRender {
  const stdout = new FakeStdout(columns, rows);
  const stderr = new FakeStdout(columns, rows);
  const stdin = new FakeStdin(isTTY);
  const instance = render(node, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    stdout,
    stdin,
    instance,
    lastFrame: stdout.lastFrame,
    resize(c: number, r: number) {
      stdout.columns = c;
      stdout.rows = r;
      stdout.emit('resize');
    },
  };
}
