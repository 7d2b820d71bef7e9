// The report views, run from their compiled source as CouchDB runs them.
import { describe, expect, it } from 'vitest';
import { compiledMap } from '../../testing/compiled';

const order = {
  _id: 'order:01936b2a-1c00-7000-8000-000000000001',
  type: 'order',
  brand: 'AYAMGEPREK',
  created_at: '2026-11-21T05:30:00.000Z',
  total: 33000,
  items: [
    { product_id: 'product:geprek', name: 'Ayam Geprek', qty: 2, line_total: 30000 },
    { product_id: 'product:teh', name: 'Es Teh', qty: 1, line_total: 3000 },
  ],
};

describe('_design/reports', () => {
  it('sums orders by UTC hour and brand', async () => {
    const map = await compiledMap('ops', 'sales_by_hour', 'reports');
    expect(map(order)).toEqual([[['2026-11-21T05', 'AYAMGEPREK'], 33000]]);
    expect(map({ ...order, type: 'payment' })).toEqual([]);
  });

  it('emits each item with quantity and line total', async () => {
    const map = await compiledMap('ops', 'items_by_hour', 'reports');
    expect(map(order)).toEqual([
      [
        ['2026-11-21T05', 'AYAMGEPREK', 'product:geprek', 'Ayam Geprek'],
        [2, 30000],
      ],
      [
        ['2026-11-21T05', 'AYAMGEPREK', 'product:teh', 'Es Teh'],
        [1, 3000],
      ],
    ]);
  });

  it('tells payments from refunds', async () => {
    const map = await compiledMap('ops', 'payments_by_hour', 'reports');
    const payment = { type: 'payment', method: 'qris', amount: 33000, created_at: '2026-11-21T05:31:00.000Z' };
    expect(map(payment)).toEqual([[['2026-11-21T05', 'qris', 'payment'], 33000]]);
    expect(map({ ...payment, type: 'refund' })).toEqual([[['2026-11-21T05', 'qris', 'refund'], 33000]]);
  });

  it('takes the preparation time from the order id, and skips nonsense', async () => {
    const map = await compiledMap('ops', 'prep_by_hour', 'reports');
    const placed = parseInt('01936b2a1c00', 16);
    const ready = (ms: number) => ({
      type: 'ticket_event',
      status: 'ready',
      brand: 'AYAMGEPREK',
      order_id: order._id,
      created_at: new Date(placed + ms).toISOString(),
    });
    const hour = new Date(placed + 420_000).toISOString().slice(0, 13);
    expect(map(ready(420_000))).toEqual([[[hour, 'AYAMGEPREK'], 420]]);
    expect(map({ ...ready(420_000), status: 'preparing' })).toEqual([]);
    expect(map(ready(-60_000))).toEqual([]);
    expect(map(ready(5 * 3600_000))).toEqual([]);
  });

  it('flags reviews, voids, refunds and conflicts', async () => {
    const map = await compiledMap('ops', 'flags', 'reports');
    const at = '2026-11-21T06:00:00.000Z';
    expect(map({ type: 'review', reason: 'price_override', order_id: order._id, detail: 'x', terminal: 'K1', created_at: at })).toEqual([
      [at, { kind: 'price_override', order_id: order._id, detail: 'x', terminal: 'K1' }],
    ]);
    expect(map({ type: 'void', order_id: order._id, reason: 'salah pesan', terminal: 'C1', created_at: at })[0]![1]).toMatchObject({
      kind: 'void',
      detail: 'salah pesan',
    });
    const conflicted = map({ ...order, _conflicts: ['2-abc'] });
    expect(conflicted).toHaveLength(1);
    expect(conflicted[0]![1]).toMatchObject({ kind: 'conflict', order_id: order._id });
    expect(map(order)).toEqual([]);
    const audit = {
      type: 'review',
      reason: 'audit',
      order_id: order._id,
      detail: 'y',
      terminal: 'K2',
      created_at: at,
      checks: ['order_brand'],
    };
    expect(map({ ...audit, fact_id: 'payment:1' })).toEqual([
      [at, { kind: 'audit', order_id: order._id, detail: 'y', terminal: 'K2', checks: ['order_brand'], fact_id: 'payment:1' }],
    ]);
  });

  it('emits payments, refunds and ready events with what a join to their order needs', async () => {
    const map = await compiledMap('ops', 'facts_by_hour', 'reports');
    const placed = parseInt('01936b2a1c00', 16);
    const fact = {
      tenant: 'acme',
      store: 'mall',
      brand: 'NASGORENG',
      order_id: order._id,
      created_at: new Date(placed + 420_000).toISOString(),
    };
    const hour = fact.created_at.slice(0, 13);
    expect(map({ ...fact, type: 'payment', method: 'qris', amount: 33000 })).toEqual([
      [[hour, 'payment'], { order_id: order._id, tenant: 'acme', store: 'mall', brand: 'NASGORENG', method: 'qris', amount: 33000 }],
    ]);
    expect(map({ ...fact, type: 'ticket_event', status: 'ready', order_brand: 'AYAMGEPREK' })).toEqual([
      [
        [hour, 'ticket_event'],
        { order_id: order._id, tenant: 'acme', store: 'mall', brand: 'NASGORENG', order_brand: 'AYAMGEPREK', seconds: 420 },
      ],
    ]);
    expect(map({ ...fact, type: 'void', reason: 'x' })).toEqual([]);
    expect(map({ ...fact, type: 'ticket_event', status: 'preparing' })).toEqual([]);
    expect(map(order)).toEqual([]);
  });
});
