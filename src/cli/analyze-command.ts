import type { ClusterSnapshot, Finding } from '../core/snapshot.js';
import { analyzeDetailed } from '../pipeline/analyze.js';
import type { CliArgs } from './args.js';
import { pathsOrDefault, readOptions, reportInputErrors, useColor } from './inputs.js';
import { EvidenceIndex } from './evidence.js';
import { EXIT } from './exit-codes.js';
import { ProgressLine } from './progress.js';

export async function runAnalyze(args: CliArgs): Promise<number> {
  const paths = pathsOrDefault(args);
  const stdout = process.stdout;
  const dashboard = !(args.json || args.csv || args.text || (!stdout.isTTY && !args.dashboard));
  const progress = new ProgressLine(process.stderr);
  let result: Awaited<ReturnType<typeof analyzeDetailed>>;
  try {
    result = await analyzeDetailed(paths, {
      ...readOptions(args),
      // Only the dashboard shows events (and their text as evidence); the reports need the model alone.
      keepEvents: dashboard,
      slowMs: args.slowMs,
      flapCount: args.flapCount,
      flapWindowMs: args.flapWindowMs,
      onProgress: progress.update,
    });
  } finally {
    progress.clear();
  }
  const { snapshot, collected } = result;
  if (collected.files.length === 0 && collected.errors.length > 0) {
    // Nothing could be read at all: the error lines alone, no empty report.
    reportInputErrors(collected.errors);
    return EXIT.input;
  }
  // Only the renderer used is loaded (and chalk only for a coloured text report).
  if (args.json) await (await import('../report/json.js')).writeJson(snapshot, stdout);
  else if (args.csv) stdout.write((await import('../report/csv.js')).renderTransfersCsv(snapshot));
  else if (!dashboard) {
    const { renderText } = await import('../report/text.js');
    const { colorPaint } = await import('../report/paint.js');
    const paint = useColor(args, stdout) ? await colorPaint() : undefined;
    stdout.write(renderText(snapshot, { paint, width: stdout.columns || 100 }));
  } else {
    const { runDashboard } = await import('../ui/run-dashboard.js');
    const evidence = new EvidenceIndex(collected.events);
    await runDashboard(
      { getSnapshot: () => ({ snapshot, events: collected.events }), subscribe: () => () => {} },
      { live: false, getEvidenceText: (ref) => evidence.text(ref) },
    );
  }
  reportInputErrors(collected.errors);
  if (args.failOn && failOnMatches(snapshot, args.failOn)) return EXIT.failOn;
  return collected.errors.length > 0 ? EXIT.input : EXIT.ok;
}

export function failOnMatches(snapshot: ClusterSnapshot, kind: 'timeout' | 'error' | 'warning'): boolean {
  const match = (f: Finding): boolean =>
    kind === 'timeout' ? f.kind.includes('timeout') : kind === 'error' ? f.severity === 'error' : f.severity !== 'info';
  return snapshot.findings.some(match);
}
