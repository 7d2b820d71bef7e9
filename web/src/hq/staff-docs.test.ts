import { describe, expect, it } from 'vitest';
import { pinMatches } from '../../../design-docs/lib/pin';
import { PIN_MIN_ITERATIONS, structureErrors, STAFF_ID } from '../../../design-docs/lib/structure';
import type { Staff } from '../../../design-docs/lib/types';
import { byName, nameTaken, newStaffDoc, pinProblem, withActive, withNewPin } from './staff-docs';

const asRecord = (d: Staff) => d as unknown as Record<string, unknown>;

describe('staff documents built by HQ', () => {
  it('a new person is a well-formed staff document whose PIN checks and is stored only as a hash', async () => {
    const doc = await newStaffDoc('yogya', 'bsd', { name: '  Dewi   Lestari ', role: 'supervisor', pin: '4321' });
    expect(structureErrors(asRecord(doc))).toEqual([]);
    expect(doc._id).toMatch(STAFF_ID);
    expect(doc._id).toMatch(/^staff:[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(doc).toMatchObject({ name: 'Dewi Lestari', role: 'supervisor', active: true, tenant: 'yogya', store: 'bsd' });
    expect(doc.pin.iterations).toBeGreaterThanOrEqual(PIN_MIN_ITERATIONS);
    expect(JSON.stringify(doc)).not.toContain('4321');
    expect(await pinMatches('4321', doc.pin)).toBe(true);
    expect(await pinMatches('1234', doc.pin)).toBe(false);
  });

  it('a PIN reset keeps the person and revision, salts afresh, and only the new PIN checks', async () => {
    const doc = { ...(await newStaffDoc('yogya', 'bsd', { name: 'Budi', role: 'cashier', pin: '111111' })), _rev: '1-abc' };
    const reset = await withNewPin(doc, '902468', '2026-11-21T05:00:00.000Z');
    expect(structureErrors(asRecord(reset))).toEqual([]);
    expect(reset).toMatchObject({ _id: doc._id, _rev: '1-abc', name: 'Budi', updated_at: '2026-11-21T05:00:00.000Z' });
    expect(reset.pin.salt).not.toBe(doc.pin.salt);
    expect(await pinMatches('902468', reset.pin)).toBe(true);
    expect(await pinMatches('111111', reset.pin)).toBe(false);
  });

  it('deactivating and reactivating change only active and the time', async () => {
    const doc = { ...(await newStaffDoc('yogya', 'bsd', { name: 'Sari', role: 'manager', pin: '5555' })), _rev: '2-def' };
    const off = withActive(doc, false, '2026-11-21T05:00:00.000Z');
    expect(structureErrors(asRecord(off))).toEqual([]);
    expect(off).toEqual({ ...doc, active: false, updated_at: '2026-11-21T05:00:00.000Z' });
    expect(withActive(off, true).active).toBe(true);
  });

  it('says what is wrong with a PIN typed twice', () => {
    expect(pinProblem('4321', '4321')).toBeNull();
    expect(pinProblem('4321', '4312')).toBe('hqStaffPinMismatch');
    for (const bad of ['', '123', '1234567', '12a4', ' 1234']) expect(pinProblem(bad, bad)).toBe('hqStaffPinFormat');
  });

  it('finds a name already taken whatever its case or spacing, and sorts by name', async () => {
    const dewi = await newStaffDoc('yogya', 'bsd', { name: 'Dewi', role: 'cashier', pin: '4321' });
    const agus = { ...dewi, _id: 'staff:a', name: 'agus' };
    expect(nameTaken([dewi], ' dewi ')).toBe(true);
    expect(nameTaken([dewi], 'Dewi L')).toBe(false);
    expect([dewi, agus].sort(byName).map((p) => p.name)).toEqual(['agus', 'Dewi']);
  });
});
