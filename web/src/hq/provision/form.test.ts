import { describe, expect, it } from 'vitest';
import { emptyForm, percentToBp, placedProblems, specOf, type ProvisionForm } from './form';

function filled(): ProvisionForm {
  const f = emptyForm();
  Object.assign(f, { tenantCode: 'yogya', tenantName: 'YOGYA Group', storeCode: 'bsd', storeName: 'Yogya BSD', taxPercent: '11,5' });
  f.brands = [{ code: 'AYAMGEPREK', name: 'Ayam Geprek', color: '#b5341c' }];
  f.terminals = [
    { code: 'KIOSK-01', type: 'kiosk', brand: 'AYAMGEPREK', orderPrefix: 'K1' },
    { code: 'DAPUR', type: 'kitchen', brand: 'AYAMGEPREK', orderPrefix: 'ignored' },
  ];
  f.store = { url: 'https://store.example:8443', username: 'admin', password: 'x' };
  f.central = { url: 'https://hq.example', username: 'admin', password: 'y' };
  return f;
}

describe('provisioning form', () => {
  it('turns percentages into basis points, and refuses what is not a percentage', () => {
    expect(percentToBp('10')).toBe(1000);
    expect(percentToBp('11,5')).toBe(1150);
    expect(percentToBp(' 0.25 ')).toBe(25);
    expect(percentToBp('ten')).toBeNaN();
    expect(percentToBp('-1')).toBeNaN();
  });

  it('describes the store as the CLI does: terminal name is its code, no order prefix on a kitchen', () => {
    const spec = specOf({ ...filled(), storeAdmins: 'manager, owner' });
    expect(spec.store.tax_rate_bp).toBe(1150);
    expect(spec.terminals[1]).toEqual({ code: 'DAPUR', name: 'DAPUR', type: 'kitchen', brand: 'AYAMGEPREK', order_prefix: '' });
    expect(spec.storeAdmins).toEqual(['manager', 'owner']);
    expect(placedProblems(filled()).size).toBe(0);
  });

  it('puts each problem next to its field or row', () => {
    const f = filled();
    f.tenantCode = 'Yogya';
    f.taxPercent = 'x';
    f.brands.push({ code: 'bad', name: '', color: '' });
    f.terminals.push({ code: 'KIOSK-02', type: 'kiosk', brand: 'AYAMGEPREK', orderPrefix: 'K1' });
    f.central.url = 'hq.example';
    const p = placedProblems(f);
    expect(p.get('tenantCode')?.[0]).toMatch(/tenant code "Yogya" is invalid/);
    expect(p.get('taxPercent')?.[0]).toMatch(/tax_rate_bp/);
    expect(p.get('brand:1')?.join('\n')).toMatch(/brand code "bad" is invalid/);
    expect(p.get('terminal:2')?.[0]).toMatch(/share order prefix K1/);
    expect(p.get('central')?.[0]).toMatch(/must start with http/);
    expect(p.has('general')).toBe(false);
  });
});
