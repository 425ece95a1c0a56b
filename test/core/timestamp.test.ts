import { describe, expect, it } from 'vitest';
import {
  checkTimeZone,
  compileTimestamp,
  formatIsoWithOffset,
  parseWithFormat,
  TimeReader,
  ZoneOffsets,
  type TimestampSpec,
} from '../../src/core/timestamp.js';
import { bundledFormats } from './format-test-helpers.js';

const ONELINE: TimestampSpec = {
  formats: ['dd-MMM-yyyy HH:mm:ss.SSS'],
  months: { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 },
};
const oneline = compileTimestamp(ONELINE);
const jul = bundledFormats().find((f) => f.name === 'jul_simple')!.timestamp!;

function read(text: string, tz = 'UTC', spec = oneline): string | undefined {
  const r = new TimeReader(spec, { tz });
  const t = r.read(text);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

describe('timestamp formats', () => {
  it('reads OneLine times in UTC, and again from the per-second cache', () => {
    const r = new TimeReader(oneline, { tz: 'UTC' });
    expect(new Date(r.read('26-Nov-2026 15:07:30.490')).toISOString()).toBe('2026-11-26T15:07:30.490Z');
    expect(new Date(r.read('26-Nov-2026 15:07:30.007')).toISOString()).toBe('2026-11-26T15:07:30.007Z');
    expect(new Date(r.read('26-Nov-2026 15:07:30.999')).toISOString()).toBe('2026-11-26T15:07:30.999Z');
    expect(new Date(r.read('26-Nov-2026 15:07:31.000')).toISOString()).toBe('2026-11-26T15:07:31.000Z');
    expect(r.offsetMin).toBe(0);
    // A cached second followed by a non-digit fraction is not a time.
    expect(r.read('26-Nov-2026 15:07:30.4x0')).toBeNaN();
  });

  it('places zone-less times in the given zone, DST-correct', () => {
    expect(read('26-Nov-2026 15:07:30.490', 'Australia/Sydney')).toBe('2026-11-26T04:07:30.490Z');
    expect(read('26-Jun-2026 15:07:30.490', 'Australia/Sydney')).toBe('2026-06-26T05:07:30.490Z');
    expect(read('26-Jun-2026 15:07:30.490', 'Europe/Paris')).toBe('2026-06-26T13:07:30.490Z');
    expect(read('26-Nov-2026 15:07:30.490', 'Europe/Paris')).toBe('2026-11-26T14:07:30.490Z');
    expect(read('26-Nov-2026 15:07:30.490', 'Asia/Kolkata')).toBe('2026-11-26T09:37:30.490Z');
  });

  it('a time in a DST gap or in the repeated hour does not throw', () => {
    // Sydney springs forward 2026-10-04 02:00 → 03:00: 02:30 does not exist; read with the offset before (+10).
    expect(read('04-Oct-2026 02:30:00.000', 'Australia/Sydney')).toBe('2026-10-03T16:30:00.000Z');
    expect(read('04-Oct-2026 03:30:00.000', 'Australia/Sydney')).toBe('2026-10-03T16:30:00.000Z');
    // Sydney falls back 2026-04-05 03:00 → 02:00: 02:30 happens twice; the first (+11) is used.
    expect(read('05-Apr-2026 02:30:00.000', 'Australia/Sydney')).toBe('2026-04-04T15:30:00.000Z');
    expect(read('29-Mar-2026 02:30:00.000', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(read('08-Mar-2026 02:30:00.000', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    const z = new ZoneOffsets('Australia/Sydney');
    expect(z.offsetAt(Date.UTC(2026, 9, 4, 1, 59))).toBe(600);
    expect(z.offsetAt(Date.UTC(2026, 9, 4, 3, 0))).toBe(660);
  });

  it('impossible dates give no time (never throw)', () => {
    expect(read('30-Feb-2026 10:00:00.000')).toBeUndefined();
    expect(read('31-Apr-2026 10:00:00.000')).toBeUndefined();
    expect(read('29-Feb-2026 10:00:00.000')).toBeUndefined();
    expect(read('29-Feb-2024 10:00:00.000')).toBe('2024-02-29T10:00:00.000Z');
    expect(read('10-Foo-2026 10:00:00.000')).toBeUndefined();
    expect(read('10-Nov-2026 24:00:00.000')).toBeUndefined();
    expect(read('10-Nov-2026 10:60:00.000')).toBeUndefined();
    expect(read('')).toBeUndefined();
  });

  it('reads every JUL SimpleFormatter form (JDK 6 and 7+ locales) from the grammar data', () => {
    const cases: [string, string][] = [
      ['Nov 26, 2026 3:12:27 PM', '2026-11-26T15:12:27.000Z'],
      ['nov. 26, 2026 3:13:27 PM', '2026-11-26T15:13:27.000Z'],
      ['Nov. 06, 2013 9:55:47 PM', '2013-11-06T21:55:47.000Z'],
      ['nov 06, 2013 9:55:47 P.\u00a0M.', '2013-11-06T21:55:47.000Z'],
      ['11月 06, 2013 9:55:47 午後', '2013-11-06T21:55:47.000Z'],
      ['11월 06, 2013 9:55:47 오후', '2013-11-06T21:55:47.000Z'],
      ['11月 06, 2013 9:55:47 下午', '2013-11-06T21:55:47.000Z'],
      ['一月 04, 2015 7:55:30 下午', '2015-01-04T19:55:30.000Z'],
      ['十二月 04, 2015 7:55:30 上午', '2015-12-04T07:55:30.000Z'],
      ['Nov 6, 2013 9:55:47 PM', '2013-11-06T21:55:47.000Z'],
      ['06-Nov-2013 21:55:47', '2013-11-06T21:55:47.000Z'],
      ['6-Nov-2013 9:55:47 PM', '2013-11-06T21:55:47.000Z'],
      ['06.11.2013 21:55:47', '2013-11-06T21:55:47.000Z'],
      ['6 nov. 2013 21:55:47', '2013-11-06T21:55:47.000Z'],
      ['06-nov-2013 21:55:47', '2013-11-06T21:55:47.000Z'],
      ['2013/11/06 21:55:47', '2013-11-06T21:55:47.000Z'],
      ['2013. 11. 6 오후 9:55:47', '2013-11-06T21:55:47.000Z'],
      ['2013-11-6 21:55:47', '2013-11-06T21:55:47.000Z'],
      ['06/11/2013 21:55:47', '2013-11-06T21:55:47.000Z'],
      ['06/11/2013 9:55:47 PM', '2013-11-06T21:55:47.000Z'],
      ['26/11/2026 12:05:00 AM', '2026-11-26T00:05:00.000Z'],
      ['26/11/2026 12:05:00 PM', '2026-11-26T12:05:00.000Z'],
    ];
    for (const [text, want] of cases) {
      expect(read(text, 'UTC', jul), text).toBe(want);
      // The embedded %TIME% alternation matches the same text.
      expect(new RegExp(`^${jul.embed}$`).test(text), text).toBe(true);
    }
    expect(read('06/11/2013 13:55:47 PM', 'UTC', jul)).toBeUndefined();
  });

  it('resolves the day/month order of numeric dates per input', () => {
    const r = new TimeReader(jul, { tz: 'UTC' });
    expect(r.order).toBe('dmy'); // default: what en_AU, en_GB and pt_BR print
    expect(new Date(r.read('06/11/2013 9:55:47 PM')).toISOString()).toBe('2013-11-06T21:55:47.000Z');
    // A date only month-first can read is evidence: later ambiguous dates follow it.
    expect(new Date(r.read('11/26/2013 9:55:47 PM')).toISOString()).toBe('2013-11-26T21:55:47.000Z');
    expect(r.evidence).toBe('mdy');
    expect(new Date(r.read('06/11/2013 9:55:47 PM')).toISOString()).toBe('2013-06-11T21:55:47.000Z');

    const learnt = new TimeReader(jul, { tz: 'UTC' });
    learnt.learn('06/11/2013 9:55:47 PM');
    expect(learnt.evidence).toBeUndefined();
    learnt.learn('26/11/2013 9:55:47 PM');
    expect(learnt.evidence).toBe('dmy');

    const forced = new TimeReader(jul, { tz: 'UTC', dateOrder: 'mdy' });
    forced.learn('26/11/2013 9:55:47 PM');
    expect(forced.order).toBe('mdy');
    expect(new Date(forced.read('06/11/2013 9:55:47 PM')).toISOString()).toBe('2013-06-11T21:55:47.000Z');
    // An unambiguous date is still read right.
    expect(new Date(forced.read('26/11/2013 9:55:47 PM')).toISOString()).toBe('2013-11-26T21:55:47.000Z');
    expect(forced.order).toBe('mdy');
  });

  it('uses an explicit offset over the zone', () => {
    const ts = compileTimestamp({ formats: ["yyyy-MM-dd'T'HH:mm:ss.SSSX"] });
    const r = new TimeReader(ts, { tz: 'Australia/Sydney' });
    expect(new Date(r.read('2020-04-28T05:21:20.581Z')).toISOString()).toBe('2020-04-28T05:21:20.581Z');
    expect(r.offsetMin).toBe(0);
    expect(new Date(r.read('2020-04-28T05:21:20.581+01')).toISOString()).toBe('2020-04-28T04:21:20.581Z');
    expect(r.offsetMin).toBe(60);
    expect(new Date(r.read('2020-04-28T05:21:20.581-05:30')).toISOString()).toBe('2020-04-28T10:51:20.581Z');
    expect(r.offsetMin).toBe(-330);
    expect(new Date(r.read('2020-04-28T05:21:20.581+0200')).toISOString()).toBe('2020-04-28T03:21:20.581Z');
  });

  it('parseWithFormat reports the wall time and the explicit offset', () => {
    const out = [0];
    expect(parseWithFormat(oneline.formats[0], oneline, '26-Nov-2026 15:07:30.490', out)).toBe(Date.UTC(2026, 10, 26, 15, 7, 30, 490));
    expect(out[0]).toBeNaN();
  });

  it('rejects formats it cannot read, with a pointer', () => {
    const bad = (formats: string[], extra: Partial<TimestampSpec> = {}): unknown => {
      try {
        compileTimestamp({ formats, ...extra }, 'f.json', '/x/timestamp');
      } catch (err) {
        return err;
      }
      return undefined;
    };
    expect(bad(['yyyy-MM-dd Q'])).toMatchObject({ code: 'GRAMMAR_BAD_TIMESTAMP', pointer: '/x/timestamp/formats/0', file: 'f.json' });
    expect(bad(['yyyy-MM-dd', 'MM-dd HH:mm'])).toMatchObject({ code: 'GRAMMAR_BAD_TIMESTAMP', pointer: '/x/timestamp/formats/1' });
    expect(bad(['yyyy-MM-dd h:mm'])).toMatchObject({ code: 'GRAMMAR_BAD_TIMESTAMP' });
    expect(bad(['dd-MMM-yyyy'])).toMatchObject({ code: 'GRAMMAR_BAD_TIMESTAMP' });
    expect(bad(["yyyy-MM-dd'T"])).toMatchObject({ code: 'GRAMMAR_BAD_TIMESTAMP' });
    expect(bad(["yyyy-MM-dd'T'HH"])).toBeUndefined();
  });

  it('checks the zone option', () => {
    expect(() => checkTimeZone('Mars/Olympus')).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => checkTimeZone('')).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => checkTimeZone('Australia/Sydney')).not.toThrow();
    expect(() => checkTimeZone('UTC')).not.toThrow();
    for (const offset of ['+01:00', '-05:30', '+0100', '+08', '+14:00']) expect(() => checkTimeZone(offset), offset).not.toThrow();
    for (const bad of ['+99:99', '+15:00', '+01:60', '+1', 'GMT+1', '01:00']) {
      expect(() => checkTimeZone(bad), bad).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
  });

  it('the library and the CLI options take the same zones (one rule): a UTC offset, not only a zone name', async () => {
    const { validateReadOptions } = await import('../../src/pipeline/options.js');
    expect(validateReadOptions({ tz: '+01:00' }).tz).toBe('+01:00');
    expect(() => validateReadOptions({ tz: '+99:99' })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => validateReadOptions({ tz: 'Mars/Olympus' })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('formats ISO times with the offset used', () => {
    const t = Date.UTC(2026, 10, 26, 4, 7, 30, 490);
    expect(formatIsoWithOffset(t, 660)).toBe('2026-11-26T15:07:30.490+11:00');
    expect(formatIsoWithOffset(t, 0)).toBe('2026-11-26T04:07:30.490Z');
    expect(formatIsoWithOffset(t, -330)).toBe('2026-11-25T22:37:30.490-05:30');
  });
});
