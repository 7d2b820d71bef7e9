import { describe, expect, it } from 'vitest';
import { addDays, localDate, localHour, startOfLocalDay, utcHourRange } from './zoned';

describe('store-local time', () => {
  it('turns UTC hours into Jakarta hours, across midnight', () => {
    expect(localHour('2026-11-21T05', 'Asia/Jakarta')).toEqual({ date: '2026-11-21', hour: '12' });
    expect(localHour('2026-11-20T17', 'Asia/Jakarta')).toEqual({ date: '2026-11-21', hour: '00' });
    expect(localHour('2026-11-20T16', 'Asia/Makassar')).toEqual({ date: '2026-11-21', hour: '00' });
  });

  it('bounds local days with UTC hour keys', () => {
    expect(startOfLocalDay('2026-11-21', 'Asia/Jakarta').toISOString()).toBe('2026-11-20T17:00:00.000Z');
    expect(utcHourRange('2026-11-21', '2026-11-21', 'Asia/Jakarta')).toEqual({ start: '2026-11-20T17', end: '2026-11-21T16' });
    expect(utcHourRange('2026-11-01', '2026-11-30', 'Asia/Jayapura')).toEqual({ start: '2026-10-31T15', end: '2026-11-30T14' });
    // Business days ending at 04:00: 04:00 local on the 21st to 03:59 on the 22nd.
    expect(utcHourRange('2026-11-21', '2026-11-21', 'Asia/Jakarta', 4)).toEqual({ start: '2026-11-20T21', end: '2026-11-21T20' });
  });

  it('knows the local date of an instant and adds days across months', () => {
    expect(localDate(new Date('2026-11-20T18:00:00Z'), 'Asia/Jakarta')).toBe('2026-11-21');
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
  });
});
