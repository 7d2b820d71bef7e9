import { describe, expect, it } from 'vitest';
import { deviceHash, projectPublic, projectPublicWithHashes, toMinute } from './public-directory';

const base = { schema: 1, tenant: 'yogya', store: 'bsd' };
const directory = [
  {
    _id: 'store',
    _rev: '1-a',
    type: 'store',
    ...base,
    name: 'Yogya BSD',
    tenant_name: 'YOGYA Group',
    timezone: 'Asia/Jakarta',
    tax_rate_bp: 1000,
    service_rate_bp: 500,
    updated_at: '2026-01-20T08:00:00.000Z',
  },
  {
    _id: 'brand:AYAMGEPREK',
    type: 'brand',
    ...base,
    code: 'AYAMGEPREK',
    name: 'Ayam Geprek',
    active: true,
    amber_after_min: 5,
    updated_at: '2026-01-20T08:00:00.000Z',
  },
  {
    _id: 'terminal:KIOSK-GEPREK-01',
    type: 'terminal',
    ...base,
    code: 'KIOSK-GEPREK-01',
    name: 'Kiosk 1',
    terminal_type: 'kiosk',
    brand: 'AYAMGEPREK',
    order_prefix: 'A1',
    active: true,
    updated_at: '2026-01-20T08:00:00.000Z',
    secret_note: 'x',
  },
  {
    _id: 'terminal:KASIR-GEPREK-01',
    type: 'terminal',
    ...base,
    code: 'KASIR-GEPREK-01',
    name: 'Kasir 1',
    terminal_type: 'cashier',
    brand: 'AYAMGEPREK',
    order_prefix: 'C1',
    active: false,
    updated_at: '2026-01-20T08:00:00.000Z',
  },
  {
    _id: 'binding:KIOSK-GEPREK-01',
    type: 'binding',
    ...base,
    terminal: 'KIOSK-GEPREK-01',
    device_id: 'dev_0123456789ab',
    device: { hostname: 'PC-01', user_agent: 'Chrome', platform: 'Linux' },
    assigned_at: '2026-01-20T08:15:00.000Z',
  },
  {
    _id: 'heartbeat:KIOSK-GEPREK-01',
    type: 'heartbeat',
    ...base,
    terminal: 'KIOSK-GEPREK-01',
    last_seen: '2026-01-20T09:41:37.512Z',
    device_id: 'dev_0123456789ab',
    app_version: '1.2.3',
  },
];

describe('the public directory projection', () => {
  it('copies only the named fields: no device id, device details, heartbeat internals or order prefix', async () => {
    const out = await projectPublicWithHashes(directory);
    expect(out.map((d) => d._id).sort()).toEqual(['brand:AYAMGEPREK', 'store', 'terminal:KASIR-GEPREK-01', 'terminal:KIOSK-GEPREK-01']);
    const text = JSON.stringify(out);
    for (const leak of ['dev_0123456789ab', 'PC-01', 'Chrome', 'app_version', 'order_prefix', 'secret_note', 'tax_rate_bp', '_rev'])
      expect(text).not.toContain(leak);
    expect(out.find((d) => d._id === 'terminal:KIOSK-GEPREK-01')).toEqual({
      _id: 'terminal:KIOSK-GEPREK-01',
      type: 'public_terminal',
      ...base,
      code: 'KIOSK-GEPREK-01',
      name: 'Kiosk 1',
      terminal_type: 'kiosk',
      brand: 'AYAMGEPREK',
      active: true,
      assigned: true,
      assigned_at: '2026-01-20T08:15:00.000Z',
      device_hash: await deviceHash('yogya', 'bsd', 'KIOSK-GEPREK-01', 'dev_0123456789ab'),
      last_seen: '2026-01-20T09:41:00.000Z',
    });
    expect(out.find((d) => d._id === 'terminal:KASIR-GEPREK-01')).toMatchObject({
      active: false,
      assigned: false,
      assigned_at: null,
      device_hash: null,
      last_seen: null,
    });
    expect(out.find((d) => d._id === 'store')).toEqual({
      _id: 'store',
      type: 'public_store',
      ...base,
      name: 'Yogya BSD',
      tenant_name: 'YOGYA Group',
    });
  });

  it('hashes a device per terminal, so one device is not linked across terminals', async () => {
    const a = await deviceHash('yogya', 'bsd', 'KIOSK-GEPREK-01', 'dev_0123456789ab');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await deviceHash('yogya', 'bsd', 'KASIR-GEPREK-01', 'dev_0123456789ab')).not.toBe(a);
    expect(await deviceHash('yogya', 'bsd', 'KIOSK-GEPREK-01', 'dev_0123456789ab')).toBe(a);
  });

  it('drops deleted documents and cuts times to the minute', () => {
    const out = projectPublic([...directory.slice(0, 4), { _id: 'binding:KIOSK-GEPREK-01', _deleted: true }]);
    expect(out.find((d) => d._id === 'terminal:KIOSK-GEPREK-01')).toMatchObject({ assigned: false, assigned_at: null });
    expect(toMinute('2026-01-20T09:41:59.999Z')).toBe('2026-01-20T09:41:00.000Z');
    expect(toMinute('not a time')).toBe('not a time');
  });
});
