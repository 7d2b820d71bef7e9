import { beforeAll, describe, expect, it } from 'vitest';
import { outcome, type ValidateFn } from '../../sandbox';
import { compiledValidate } from '../../testing/compiled';
import {
  cashMovement,
  connectorCtx,
  connectorPayment,
  ctx,
  kiosk,
  order,
  payment,
  paymentRequest,
  paymentUpdate,
  refund,
  shiftClose,
  shiftOpen,
  terminalOf,
  ticketEvent,
  voidDoc,
} from '../../testing/fixtures';

let validate: ValidateFn;
beforeAll(async () => {
  validate = await compiledValidate('ops');
});

const k = kiosk();
const cashier = terminalOf(k, 'cashier', 'KASIR-GEPREK-01');
const kitchen = terminalOf(k, 'kitchen', 'KITCHEN-GEPREK');
const otherKiosk = { ...k, brand: 'NASGORENG', code: 'KIOSK-NASGR-01' };
const otherCashier = terminalOf(otherKiosk, 'cashier', 'KASIR-NASGR-01');
const otherKitchen = terminalOf(otherKiosk, 'kitchen', 'KITCHEN-NASGR');
const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
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

  it('lets only a cashier confirm money: never the kiosk, whatever the method, nor the kitchen', () => {
    const o = order(k);
    expect(run(payment(kitchen, o._id), null, ctx.terminal(kitchen))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/cannot take payments: a cashier does/),
    });
    for (const method of ['cash', 'qris', 'card'] as const)
      expect(
        run(
          payment(k, o._id, { method, reference: 'QR-1', ...(method === 'cash' ? {} : { tendered: undefined, change: undefined }) }),
          null,
          ctx.terminal(k),
        ),
      ).toMatchObject({ status: 403, reason: expect.stringMatching(/A kiosk cannot confirm a payment/) });
    expect(run(payment(cashier, o._id), null, ctx.terminal(cashier)).status).toBe('ok');
    const staticQris = payment(cashier, o._id, { method: 'qris', tendered: undefined, change: undefined, reference: 'QRIS notif 10:42' });
    expect(run(staticQris, null, ctx.terminal(cashier)).status).toBe('ok');
    // What the cashier saw is on the record: no QRIS or card payment without its reference.
    for (const reference of [undefined, '', ' 1 '])
      expect(run({ ...staticQris, method: 'card', reference }, null, ctx.terminal(cashier))).toMatchObject({
        status: 403,
        reason: expect.stringMatching(/reference/),
      });
    expect(run(order(kitchen, { channel: 'kiosk' }), null, ctx.terminal(kitchen)).status).toBe(403);
  });

  it('lets a kiosk or cashier ask for a provider payment, and only the connector answer it', () => {
    const o = order(k);
    const request = paymentRequest(k, o._id, { order_total: o.total, amount: o.total });
    expect(run(request, null, ctx.terminal(k))).toEqual({ status: 'ok' });
    expect(run(paymentRequest(cashier, o._id), null, ctx.terminal(cashier)).status).toBe('ok');
    expect(run(paymentRequest(kitchen, o._id), null, ctx.terminal(kitchen)).status).toBe(403);
    expect(run(paymentRequest(k, o._id, { method: 'cash' as 'qris' }), null, ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/method must be one of qris/),
    });
    expect(run(paymentRequest(k, o._id, { amount: 60000, order_total: 50000 }), null, ctx.terminal(k)).status).toBe(403);

    const connector = connectorCtx(k.tenant, k.store);
    const paid = connectorPayment(request);
    expect(run(paid, null, connector)).toEqual({ status: 'ok' });
    expect(run(paymentUpdate(request, 'pending'), null, connector)).toEqual({ status: 'ok' });
    expect(run(paymentUpdate(request, 'failed'), null, connector)).toEqual({ status: 'ok' });
    // The kiosk cannot pose as the connector, nor the connector as a terminal or another store's connector.
    expect(run(paid, null, ctx.terminal(k))).toMatchObject({ status: 403, reason: expect.stringMatching(/writes as itself/) });
    expect(run(paymentUpdate(request, 'pending'), null, ctx.terminal(k)).status).toBe(403);
    expect(run(payment(cashier, o._id), null, connector)).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/payment connector writes only/),
    });
    expect(run(order(k), null, connector).status).toBe(403);
    expect(run(paid, null, connectorCtx(k.tenant, 'other')).status).toBe(403);
    // One payment per request (its id), in the request's method, naming no terminal, never cash.
    expect(run({ ...paid, _id: 'payment:another' }, null, connector)).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/_id must be payment:/),
    });
    expect(run({ ...paid, method: 'cash' }, null, connector).status).toBe(403);
    expect(run({ ...paid, terminal: k.code }, null, connector)).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/not a terminal/),
    });
    expect(run({ ...paid, brand: 'NASGORENG' }, null, connector).status).toBe(403);
    expect(run(paymentUpdate(request, 'pending', { qr_string: undefined }), null, connector).status).toBe(403);
    // Written once: no second version of a payment or an update.
    expect(run({ ...paid, amount: 1 }, { ...paid, _rev: '1-a' }, connector).status).toBe(403);
    // Central takes the connector's facts from the store's replication account by the same rules.
    const replicator = ctx.replicator(k.tenant, k.store);
    expect(run(paid, null, replicator)).toEqual({ status: 'ok' });
    expect(run({ ...paid, method: 'cash' }, null, replicator).status).toBe(403);
    expect(
      run(payment(k, o._id, { method: 'qris', tendered: undefined, change: undefined, reference: 'QR-1' }), null, replicator).status,
    ).toBe(403);
  });

  it('requires a reason on voids and lets only cashiers void', () => {
    const o = order(k);
    expect(run(voidDoc(cashier, o._id), null, ctx.terminal(cashier)).status).toBe('ok');
    expect(run(voidDoc(cashier, o._id, ''), null, ctx.terminal(cashier))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/reason/),
    });
    expect(run(voidDoc(k, o._id), null, ctx.terminal(k)).status).toBe(403);
  });

  it('keeps each terminal to its own brand’s orders: payments, voids, refunds and ticket events', () => {
    const o = order(k);
    const cases = [
      { who: otherKiosk, doc: paymentRequest(otherKiosk, o._id) },
      { who: otherCashier, doc: voidDoc(otherCashier, o._id) },
      { who: otherCashier, doc: refund(otherCashier, o._id) },
      { who: otherCashier, doc: payment(otherCashier, o._id) },
      { who: otherKitchen, doc: ticketEvent(otherKitchen, o._id, 'ready') },
    ];
    for (const { who, doc } of cases) {
      // The writer's own brand is honest, the order's brand (AYAMGEPREK) is not theirs.
      expect(run({ ...doc, order_brand: k.brand }, null, ctx.terminal(who))).toMatchObject({
        status: 403,
        reason: expect.stringMatching(/can act only on orders of brand NASGORENG/),
      });
      // And claiming the order's brand as its own is posing as another terminal.
      expect(run({ ...doc, brand: k.brand, order_brand: k.brand }, null, ctx.terminal(who)).status).toBe(403);
      expect(run(doc, null, ctx.terminal(who)).status).toBe('ok'); // its own brand's order
    }
    expect(run({ ...voidDoc(cashier, o._id), order_store: 'other' }, null, ctx.terminal(cashier))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/order_store must be the store of the order/),
    });
    const noBrand: Record<string, unknown> = { ...voidDoc(cashier, o._id) };
    delete noBrand.order_brand;
    expect(run(noBrand, null, ctx.terminal(cashier))).toMatchObject({ status: 403, reason: expect.stringMatching(/order_brand/) });
  });

  it('bounds a refund by what was paid and a payment by the order total', () => {
    const o = order(k);
    expect(run(refund(cashier, o._id), null, ctx.terminal(cashier)).status).toBe('ok');
    expect(run(refund(cashier, o._id, { amount: 1_000_000_000 }), null, ctx.terminal(cashier))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/amount must be at most 100000000/),
    });
    expect(run(refund(cashier, o._id, { amount: 50_001 }), null, ctx.terminal(cashier))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/must not exceed what was paid/),
    });
    expect(run(refund(cashier, o._id, { paid: 60_000 }), null, ctx.terminal(cashier))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/paid must not exceed the order's total/),
    });
    const unbounded: Record<string, unknown> = { ...refund(cashier, o._id) };
    delete unbounded.paid;
    expect(run(unbounded, null, ctx.terminal(cashier)).status).toBe(403);
    expect(run(refund(k, o._id), null, ctx.terminal(k))).toMatchObject({ status: 403, reason: expect.stringMatching(/Only a cashier/) });
    expect(run(payment(cashier, o._id, { amount: 200_000, tendered: 200_000, change: 0 }), null, ctx.terminal(cashier))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/must not exceed the order's total/),
    });
  });

  it('bounds money, counts, text and the document size', () => {
    const t = ctx.terminal(k);
    const free = order(k);
    free.items[0]!.unit_price = 0;
    expect(run(free, null, t)).toMatchObject({ status: 403, reason: expect.stringMatching(/unit_price must be at least 1/) });
    const many = order(k);
    many.items = Array.from({ length: 51 }, () => ({ ...many.items[1]! }));
    expect(run(many, null, t)).toMatchObject({ status: 403, reason: expect.stringMatching(/items must have at most 50 entries/) });
    const huge = order(k, { customer_name: 'x'.repeat(10 * 1024 * 1024) });
    expect(run(huge, null, t)).toMatchObject({ status: 403, reason: expect.stringMatching(/at most 65536 are allowed/) });
    const longNote = order(k);
    longNote.items[0]!.note = 'x'.repeat(201);
    expect(run(longNote, null, t)).toMatchObject({ status: 403, reason: expect.stringMatching(/note must be at most 200/) });
    expect(run(voidDoc(cashier, order(k)._id, 'x'.repeat(201)), null, ctx.terminal(cashier)).status).toBe(403);
    const pricey = order(k);
    pricey.items[0]!.unit_price = 10_000_001;
    expect(run(pricey, null, t)).toMatchObject({ status: 403, reason: expect.stringMatching(/unit_price must be at most 10000000/) });
  });

  it('refuses facts dated in the future, and a terminal dating one far back', () => {
    const o = order(k);
    expect(run(ticketEvent(kitchen, o._id, 'ready'), null, ctx.terminal(kitchen)).status).toBe('ok');
    expect(
      run({ ...ticketEvent(kitchen, o._id, 'ready'), created_at: '2099-01-01T00:00:00.000Z' }, null, ctx.terminal(kitchen)),
    ).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/created_at 2099-01-01T00:00:00.000Z is in the future/),
    });
    expect(run(order(k, { created_at: inHours(1) }), null, ctx.terminal(k)).status).toBe(403);
    expect(run(order(k, { created_at: inHours(0.1) }), null, ctx.terminal(k)).status).toBe('ok'); // within the 10-minute skew
    expect(run(order(k, { created_at: inHours(-24 * 40) }), null, ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/more than 30 days before/),
    });
    expect(run(order(k, { created_at: inHours(-24 * 3) }), null, ctx.terminal(k)).status).toBe('ok'); // pushed after an outage
    // Central takes a store's backlog however old, never from the future.
    expect(run(order(k, { created_at: inHours(-24 * 40) }), null, ctx.replicator(k.tenant, k.store)).status).toBe('ok');
    expect(run(order(k, { created_at: inHours(1) }), null, ctx.replicator(k.tenant, k.store)).status).toBe(403);
  });

  it('refuses store and HQ administrators writing a terminal’s facts', () => {
    const o = order(k);
    for (const who of [ctx.storeAdmin(k.tenant, k.store), ctx.hq(k.tenant)]) {
      for (const doc of [o, payment(cashier, o._id), voidDoc(cashier, o._id), refund(cashier, o._id), ticketEvent(kitchen, o._id, 'ready')])
        expect(run(doc, null, who)).toMatchObject({
          status: 403,
          reason: expect.stringMatching(/administrators do not write a terminal's facts/),
        });
    }
    expect(run(o, null, ctx.serverAdmin()).status).toBe('ok'); // the store agent
  });

  it('forces terminal_type to be the writer’s real type', () => {
    expect(run(order(k, { terminal_type: 'cashier', channel: 'cashier' }), null, ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/only write as itself/),
    });
    const untyped: Record<string, unknown> = { ...order(k) };
    delete untyped.terminal_type;
    expect(run(untyped, null, ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/terminal_type must be one of/),
    });
  });

  it('lets the store replication account carry its own store only, under the same rules as at the store', () => {
    const relay = ctx.replicator(k.tenant, k.store);
    const o = order(k);
    expect(run(o, null, relay).status).toBe('ok');
    expect(run(order(k), null, ctx.replicator(k.tenant, 'other')).status).toBe(403);
    expect(run({ ...order(k), total: 5 }, null, relay).status).toBe(403);
    for (const doc of [payment(cashier, o._id), voidDoc(cashier, o._id), refund(cashier, o._id), ticketEvent(kitchen, o._id, 'ready')])
      expect(run(doc, null, relay).status).toBe('ok');
    // What no terminal could have written at the store, central refuses too.
    const refused = [
      {
        ...payment(otherKiosk, o._id, { method: 'qris', tendered: undefined, change: undefined, reference: 'QR-1' }),
        order_brand: k.brand,
      },
      { ...voidDoc(otherCashier, o._id), order_brand: k.brand },
      refund(cashier, o._id, { amount: 1_000_000_000 }),
      { ...ticketEvent(otherKitchen, o._id, 'ready'), order_brand: k.brand },
      { ...ticketEvent(kitchen, o._id, 'ready'), created_at: '2099-01-01T00:00:00.000Z' },
      ticketEvent(k, o._id, 'ready'), // a kiosk marking ready
      payment(kitchen, o._id), // a kitchen taking money
      payment(k, o._id), // a kiosk taking cash
      voidDoc(k, o._id), // a kiosk voiding
      order(kitchen, { channel: 'kiosk' }),
      order(k, { channel: 'cashier' }),
      order(terminalOf(k, 'board', 'BOARD-01'), { channel: 'kiosk' }),
    ];
    for (const doc of refused) expect(run(doc, null, relay), String(doc._id)).toMatchObject({ status: 403 });
    // Immutable and undeletable at central as at the store.
    const stored = { ...o, _rev: '1-a' };
    expect(run({ ...stored, total: stored.total - 1 }, stored, relay).status).toBe(403);
    expect(run({ _id: o._id, _rev: '1-a', _deleted: true }, stored, relay).status).toBe(403);
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

  it('names the person and the supervisor on a cashier’s money, and keeps the drawer to cashiers', () => {
    const o = order(k);
    const who = ctx.terminal(cashier);
    const anonymous: Record<string, unknown> = { ...payment(cashier, o._id) };
    delete anonymous.staff;
    expect(run(anonymous, null, who)).toMatchObject({ status: 403, reason: expect.stringMatching(/staff must be a string/) });
    const noShift: Record<string, unknown> = { ...payment(cashier, o._id) };
    delete noShift.shift_id;
    expect(run(noShift, null, who)).toMatchObject({ status: 403, reason: expect.stringMatching(/shift_id/) });
    const unapproved: Record<string, unknown> = { ...voidDoc(cashier, o._id) };
    delete unapproved.approved_by;
    expect(run(unapproved, null, who)).toMatchObject({ status: 403, reason: expect.stringMatching(/approved_by/) });
    expect(run(refund(cashier, o._id, { refunded_before: 40000 }), null, who)).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/not yet refunded \(10000\)/),
    });
    for (const doc of [shiftOpen(cashier), cashMovement(cashier), shiftClose(cashier)]) {
      expect(run(doc, null, who)).toEqual({ status: 'ok' });
      expect(run({ ...doc, terminal: k.code, terminal_type: 'kiosk' }, null, ctx.terminal(k))).toMatchObject({
        status: 403,
        reason: expect.stringMatching(/no cash drawer/),
      });
      expect(run({ ...doc, counted: 1 }, doc, who).status).toBe(403); // immutable
    }
    expect(run({ ...shiftClose(cashier), _id: 'shift_close:another' }, null, who)).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/_id must be shift_close/),
    });
    expect(run(cashMovement(cashier, { reason: '' }), null, who).status).toBe(403);
  });
});
