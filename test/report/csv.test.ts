import { describe, expect, it } from 'vitest';
import { csvField, renderTransfersCsv } from '../../src/report/csv.js';
import { stateTimeoutSnapshot } from './fixture.js';
import { CORPUS } from '../helpers/corpus.js';

describe('renderTransfersCsv', () => {
  it('writes the header and one RFC 4180 row per transfer', () => {
    const out = renderTransfersCsv(stateTimeoutSnapshot());
    const rows = out.split('\r\n');
    expect(rows[0]).toBe('node,manager,member,provider,requestedAt,outcome,durationMs,file,line');
    expect(rows[1]).toMatch(/^tomcat1,localhost#\/clusterapp,,,2026-11-26T15:08:\d\d\.\d{3}Z,skipped,,/);
    expect(rows[1].endsWith(`,${CORPUS}/state-timeout/tomcat1/catalina.out,44`)).toBe(true);
    expect(rows[2]).toMatch(/^tomcat2,localhost#\/clusterapp,127\.0\.0\.11:4001,tomcat1,2026-11-26T15:08:\d\d\.\d{3}Z,timeout,5015,.*catalina\.out,46$/);
    expect(rows[3]).toBe('');
    expect(rows).toHaveLength(4);
  });

  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(42)).toBe('42');
    expect(csvField(undefined)).toBe('');
  });
});
