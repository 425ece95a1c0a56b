import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

const DEFAULT_COLUMNS = 80;
const DEFAULT_ROWS = 24;

function read(stdout: NodeJS.WriteStream): TerminalSize {
  return {
    columns: stdout.columns > 0 ? stdout.columns : DEFAULT_COLUMNS,
    rows: stdout.rows > 0 ? stdout.rows : DEFAULT_ROWS,
  };
}

/**
 * The terminal's size, updated on `resize`. Explicit `columns`/`rows` (tests, embedding) win over
 * what stdout reports.
 */
export function useTerminalSize(override?: Partial<TerminalSize>): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => read(stdout));
  useEffect(() => {
    const onResize = (): void => {
      const next = read(stdout);
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return {
    columns: override?.columns ?? size.columns,
    rows: override?.rows ?? size.rows,
  };
}
