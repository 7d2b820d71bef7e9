import { describe, expect, it } from 'vitest';
import { buildReport, reportCsv, type StoreRows } from './report-build';

const bsd: StoreRows = {
  store: 'bsd',
  timeZone: 'Asia/Jakarta',
  endsHour: 4,
  sales: [
    { key: ['2026-11-21T05', 'AYAMGEPREK'], value: { count: 3, sum: 90000 } },
    { key: ['2026-11-21T05', 'MIEJAWA'], value: { count: 1, sum: 25000 } },
    { key: ['2026-11-20T17', 'AYAMGEPREK'], value: { count: 1, sum: 20000 } },
  ],
  payments: [
    { key: ['2026-11-21T05', 'cash', 'payment'], value: { count: 2, sum: 60000 } },
    { key: ['2026-11-21T05', 'cash', 'refund'], value: { count: 1, sum: 10000 } },
    { key: ['2026-11-21T05', 'qris', 'payment'], value: { count: 2, sum: 55000 } },
  ],
  items: [
    { key: ['2026-11-21T05', 'AYAMGEPREK', 'product:geprek', 'Ayam Geprek'], value: [4, 100000] },
    { key: ['2026-11-21T05', 'MIEJAWA', 'product:mie', 'Mie Jawa'], value: [1, 25000] },
  ],
  prep: [
    { key: ['2026-11-21T05', 'AYAMGEPREK'], value: { count: 2, sum: 600 } },
    { key: ['2026-11-21T06', 'AYAMGEPREK'], value: { count: 1, sum: 300 } },
  ],
  voided: [
    {
      created_at: '2026-11-21T05:10:00.000Z',
      brand: 'AYAMGEPREK',
      total: 30000,
      items: [{ product_id: 'product:geprek', name: 'Ayam Geprek', unit_price: 15000, qty: 2, modifiers: [], line_total: 30000 }],
    },
  ],
};

describe('buildReport', () => {
  const r = buildReport([bsd, { ...bsd, store: 'tgr', voided: [] }]);

  it('totals sales across stores, less voided orders', () => {
    expect(r.total).toEqual({ orders: 9, amount: 240000, voids: 1, voidedAmount: 30000 });
    expect(r.byStore).toEqual([
      { key: 'tgr', orders: 5, amount: 135000 },
      { key: 'bsd', orders: 4, amount: 105000 },
    ]);
  });

  it('buckets by store-local hour and business day (a sale at midnight belongs to the day before)', () => {
    expect(r.byHour).toHaveLength(24);
    expect(r.byHour[12]).toEqual({ key: '12', orders: 7, amount: 200000 });
    expect(r.byHour[0]).toEqual({ key: '00', orders: 2, amount: 40000 });
    expect(r.byDay).toEqual([
      { key: '2026-11-20', orders: 2, amount: 40000 },
      { key: '2026-11-21', orders: 7, amount: 200000 },
    ]);
    expect(buildReport([{ ...bsd, endsHour: 0 }]).byDay.map((d) => d.key)).toEqual(['2026-11-21']);
  });

  it('sums payments, refunds, top items and preparation time', () => {
    expect(r.byPayment).toEqual([
      { method: 'cash', count: 4, amount: 120000, refunded: 20000 },
      { method: 'qris', count: 4, amount: 110000, refunded: 0 },
    ]);
    expect(r.topItems[0]).toEqual({ product_id: 'product:geprek', name: 'Ayam Geprek', brand: 'AYAMGEPREK', qty: 6, amount: 170000 });
    expect(r.prep).toEqual([{ brand: 'AYAMGEPREK', tickets: 6, avgSeconds: 300 }]);
  });

  it('exports the hourly detail as CSV', () => {
    const csv = reportCsv(r).split('\r\n');
    expect(csv[0]).toBe('date,hour,store,brand,orders,sales_idr');
    expect(csv).toContain('2026-11-21,12:00,bsd,AYAMGEPREK,2,60000');
    expect(csv).toContain('2026-11-20,00:00,tgr,AYAMGEPREK,1,20000');
  });

  it('takes back out the payments, refunds and preparation times of facts that do not match their order', () => {
    const q = buildReport([
      {
        ...bsd,
        ignored: [
          { type: 'payment', brand: 'NASGORENG', method: 'qris', amount: 25000 },
          { type: 'refund', brand: 'AYAMGEPREK', method: 'cash', amount: 10000 },
          { type: 'ticket_event', brand: 'AYAMGEPREK', seconds: 300 },
          // not counted by prep_by_hour in the first place (no preparation time)
          { type: 'ticket_event', brand: 'AYAMGEPREK' },
        ],
      },
    ]);
    expect(q.byPayment).toEqual([
      { method: 'cash', count: 2, amount: 60000, refunded: 0 },
      { method: 'qris', count: 1, amount: 30000, refunded: 0 },
    ]);
    expect(q.prep).toEqual([{ brand: 'AYAMGEPREK', tickets: 2, avgSeconds: 300 }]);
    // Sales (and so the CSV) count orders, which no ignored fact changes.
    expect(q.total.amount).toBe(buildReport([bsd]).total.amount);
  });
});
