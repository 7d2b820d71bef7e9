import { beforeAll, describe, expect, it } from 'vitest';
import { outcome, type ValidateFn } from '../../sandbox';
import { compiledValidate } from '../../testing/compiled';
import { ctx, kiosk, order, payment, terminalOf, ticketEvent, voidDoc } from '../../testing/fixtures';

let validate: ValidateFn;
beforeAll(async () => {
  validate = await compiledValidate('ops');
});

const k = kiosk();
const cashier = terminalOf(k, 'cashier', 'KASIR-GEPREK-01');
const kitchen = terminalOf(k, 'kitchen', 'KITCHEN-GEPREK');
const run = (doc: unknown, old: unknown, who: unknown) => outcome(validate, doc, old, who);

describe('ops validate_doc_update (compiled, in a sandbox)', () => {
  it('accepts an order a kiosk writes as itself', () => {
    expect(run(order(k), null, ctx.terminal(k))).toEqual({ status: 'ok' });
  });

  it('refuses anonymous writes with 401', () => {
    expect(run(order(k), null, ctx.anonymous()).status).toBe(401);
  });

  it('refuses an order that claims another terminal, brand or store', () => {
    expect(run(order(k, { terminal: 'KIOSK-GEPREK-02' }), null, ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/only write as itself/),
    });
    expect(run(order(k, { brand: 'NASGORENG' }), null, ctx.terminal(k)).status).toBe(403);
    expect(run(order({ ...k, store: 'other' }), null, ctx.terminal(k)).status).toBe(403);
    expect(run(order({ ...k, tenant: 'rival' }), null, ctx.terminal(k)).status).toBe(403);
  });

  it('refuses totals that do not add up, and float money', () => {
    expect(run(order(k, { total: 1 }), null, ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/total must be/),
    });
    const o = order(k);
    o.items[0]!.unit_price = 24999.5;
    expect(run(o, null, ctx.terminal(k))).toMatchObject({ status: 403, reason: expect.stringMatching(/whole number/) });
    const cheap = order(k);
    cheap.items[0]!.line_total = 1;
    expect(run(cheap, null, ctx.terminal(k)).status).toBe(403);
  });

  it('makes orders immutable and undeletable for terminals and store admins', () => {
    const o = { ...order(k), _rev: '1-a' };
    const edited = { ...o, total: o.total - 1000, subtotal: o.subtotal - 1000 };
    expect(run(edited, o, ctx.terminal(k))).toMatchObject({ status: 403, reason: expect.stringMatching(/immutable/) });
    expect(run({ ...o }, o, ctx.storeAdmin(k.tenant, k.store))).toMatchObject({ status: 403, reason: expect.stringMatching(/immutable/) });
    expect(run({ _id: o._id, _rev: o._rev, _deleted: true }, o, ctx.terminal(cashier))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/void or refund/),
    });
  });

  it('lets only the kitchen move tickets to preparing/ready, and no kiosk at all', () => {
    const o = order(k);
    expect(run(ticketEvent(kitchen, o._id, 'ready'), null, ctx.terminal(kitchen)).status).toBe('ok');
    expect(run(ticketEvent(k, o._id, 'ready'), null, ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/kiosk cannot change kitchen status/),
    });
    expect(run(ticketEvent(cashier, o._id, 'ready'), null, ctx.terminal(cashier)).status).toBe(403);
    expect(run(ticketEvent(cashier, o._id, 'served'), null, ctx.terminal(cashier)).status).toBe('ok');
  });

  it('keeps money away from the kitchen and cash away from the kiosk', () => {
    const o = order(k);
    expect(run(payment(kitchen, o._id), null, ctx.terminal(kitchen))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/cannot change money/),
    });
    expect(run(payment(k, o._id), null, ctx.terminal(k)).status).toBe(403);
    expect(
      run(payment(k, o._id, { method: 'qris', tendered: undefined, change: undefined, reference: 'QR-1' }), null, ctx.terminal(k)).status,
    ).toBe('ok');
    expect(run(payment(cashier, o._id), null, ctx.terminal(cashier)).status).toBe('ok');
    expect(run(order(kitchen, { channel: 'kiosk' }), null, ctx.terminal(kitchen)).status).toBe(403);
  });

  it('requires a reason on voids and lets only cashiers and admins void', () => {
    const o = order(k);
    expect(run(voidDoc(cashier, o._id), null, ctx.terminal(cashier)).status).toBe('ok');
    expect(run(voidDoc(cashier, o._id, ''), null, ctx.terminal(cashier))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/reason/),
    });
    expect(run(voidDoc(k, o._id), null, ctx.terminal(k)).status).toBe(403);
    expect(run(voidDoc(cashier, o._id), null, ctx.storeAdmin(k.tenant, k.store)).status).toBe('ok');
  });

  it('lets the store replication account carry its own store only', () => {
    expect(run(order(k), null, ctx.replicator(k.tenant, k.store)).status).toBe('ok');
    expect(run(order(k), null, ctx.replicator(k.tenant, 'other')).status).toBe(403);
    expect(run({ ...order(k), total: 5 }, null, ctx.replicator(k.tenant, k.store)).status).toBe(403);
  });

  it('refuses documents of other kinds and terminals posing as roles they do not hold', () => {
    expect(run({ _id: 'product:x', type: 'product' }, null, ctx.terminal(k)).status).toBe(403);
    const forged = { name: ctx.terminal(k).name, roles: [...ctx.terminal(k).roles, 'terminal:cashier'] };
    expect(run(voidDoc(cashier, order(k)._id), null, forged).status).toBe(403);
  });

  it('lets a terminal flag its own order for review', () => {
    const o = order(k);
    const review = {
      ...voidDoc(k, o._id),
      _id: 'review:01a1fcf7-c9c8-7591-a747-881a4851f4a8',
      type: 'review',
      reason: 'price_override',
      detail: 'Ayam Geprek Original: Rp 25.000 paid, catalog Rp 27.000',
    } as Record<string, unknown>;
    expect(run(review, null, ctx.terminal(k)).status).toBe('ok');
    expect(run({ ...review, terminal: 'KIOSK-GEPREK-02' }, null, ctx.terminal(k)).status).toBe(403);
  });
});
