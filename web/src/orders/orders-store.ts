// This terminal's view of the store's orders, from its local replica, kept live; and the
// writes a kiosk or cashier makes. Every write goes to the device first and returns at
// once: the sync store carries it to the store server.
import { nowIso } from '../device/clock';
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type {
  CashMovement,
  Order,
  Payment,
  PaymentMethod,
  PaymentRequest,
  PaymentUpdate,
  Product,
  Refund,
  Review,
  ShiftClose,
  ShiftOpen,
  TicketEvent,
  TicketStatus,
  Void,
} from '../../../design-docs/lib/types';
import { factMatchesOrder, type FactRef } from '../../../design-docs/lib/fact-match';
import { structureErrors } from '../../../design-docs/lib/structure';
import { terminalDbs } from '../db/terminal-dbs';
import type { TerminalConfig } from '../device/terminal-config';
import { useSync } from '../sync/sync-store';
import { indexLedger } from '../../../design-docs/lib/accounting';
import {
  buildCashMovement,
  buildOrder,
  buildPayment,
  buildPaymentRequest,
  buildRefund,
  buildReview,
  buildShiftClose,
  buildShiftOpen,
  buildTicketEvent,
  buildVoid,
  type Acting,
  type Approval,
  type OrderChoices,
  type RefundChoice,
} from './order-doc';
import { nextOrderNumber } from './order-number';
import type { PricedCart } from './pricing';
import { collidingOrderIds, numberCollisions } from '../../../design-docs/lib/number-collision';
import { priceOverrides } from './price-review';
import { kitchenStatus, type KitchenStatus } from './ticket-status';

export class StorageFull extends Error {}

export interface OrderStatus {
  paid: number;
  refunded: number;
  isPaid: boolean;
  voided: boolean;
  kitchen: KitchenStatus;
  methods: PaymentMethod[];
}

type OpsDoc =
  Order | Payment | PaymentRequest | PaymentUpdate | Void | Refund | TicketEvent | Review | ShiftOpen | CashMovement | ShiftClose;

/**
 * Where a provider payment request stands, from what the connector wrote: `waiting` (no answer
 * yet), `pending` (the QR code to show), `paid`, `failed` or `expired` (with the connector's reason).
 */
export interface RequestState {
  status: 'waiting' | 'pending' | 'paid' | 'failed' | 'expired';
  qr: string | null;
  expiresAt: string | null;
  reason: string | null;
}

function group<T extends { order_id: string }>(docs: T[]): Record<string, T[]> {
  const map: Record<string, T[]> = {};
  for (const d of docs) (map[d.order_id] ??= []).push(d);
  return map;
}

/**
 * Facts by order, keeping only those that count for an order this terminal sees (same store
 * and brand as the fact, fact-match.ts): another brand's payment does not make an order paid,
 * and another brand's kitchen cannot mark it ready.
 */
function groupMatched<T extends { order_id: string } & FactRef>(docs: T[], orders: Map<string, Order>): Record<string, T[]> {
  return group(docs.filter((d) => factMatchesOrder(d, orders.get(d.order_id))));
}

function localDay(iso: string): string {
  return new Date(iso).toLocaleDateString('en-CA');
}

export const useOrders = defineStore('orders', () => {
  const docs = shallowRef<OpsDoc[]>([]);
  let config: TerminalConfig | null = null;
  let started = false;

  /** Everything this terminal sees, by id; kept current from the local change feed without rereading the database. */
  const byId = new Map<string, OpsDoc>();
  let flushQueued = false;

  function visible(d: unknown): d is OpsDoc {
    // A terminal sees its own brand; the ready board sees the whole store.
    const doc = d as Partial<OpsDoc> | null;
    return !!doc && typeof doc.type === 'string' && (config?.type === 'board' || doc.brand === config?.brand);
  }

  function apply(id: string, doc: unknown, deleted: boolean) {
    if (deleted || !visible(doc)) {
      if (!byId.delete(id)) return;
    } else {
      // The same revision again (the change feed after a local write or a pull): nothing to publish.
      if (byId.get(id)?._rev === (doc as { _rev?: string })._rev) return;
      byId.set(id, doc);
    }
    publish();
  }

  /** Many changes arrive in one replication batch: publish them once, on the next frame. */
  function publish() {
    if (flushQueued) return;
    flushQueued = true;
    queueMicrotask(() => {
      flushQueued = false;
      docs.value = [...byId.values()];
    });
  }

  async function load() {
    if (!config) return;
    const all = await terminalDbs(config).ops.allDocs({ include_docs: true });
    byId.clear();
    publish();
    for (const r of all.rows) apply(r.id, r.doc, false);
  }

  function start(c: TerminalConfig) {
    config = c;
    void load();
    if (started) return;
    started = true;
    terminalDbs(c)
      .ops.changes({ since: 'now', live: true, include_docs: true })
      .on('change', (ch) => apply(ch.id, ch.doc, !!ch.deleted));
  }

  const orders = computed(() =>
    (docs.value.filter((d) => d.type === 'order') as Order[]).sort((a, b) => (a.created_at < b.created_at ? 1 : -1)),
  );
  const orderById = computed(() => new Map(orders.value.map((o) => [o._id, o])));
  const payments = computed(() => groupMatched(docs.value.filter((d) => d.type === 'payment') as Payment[], orderById.value));
  const voids = computed(() => groupMatched(docs.value.filter((d) => d.type === 'void') as Void[], orderById.value));
  const refunds = computed(() => groupMatched(docs.value.filter((d) => d.type === 'refund') as Refund[], orderById.value));
  /** Everything money-related this terminal sees, for the accounting rules (X and Z reports). */
  const ledger = computed(() => indexLedger(docs.value));
  /** This terminal's drawer while it is open: the latest shift opened here and not yet closed. */
  const openShift = computed(() => {
    if (!config) return null;
    const code = config.code;
    const closed = new Set(docs.value.filter((d): d is ShiftClose => d.type === 'shift_close').map((d) => d.shift_id));
    const opens = docs.value.filter((d): d is ShiftOpen => d.type === 'shift_open' && d.terminal === code && !closed.has(d.shift_id));
    return opens.sort((a, b) => (a.created_at < b.created_at ? 1 : -1))[0] ?? null;
  });
  const events = computed(() => groupMatched(docs.value.filter((d) => d.type === 'ticket_event') as TicketEvent[], orderById.value));
  const reviews = computed(() => group(docs.value.filter((d) => d.type === 'review') as Review[]));
  /** The connector's answers by request, kept only when they fit their order like every other fact. */
  const updates = computed(() => {
    const map: Record<string, PaymentUpdate[]> = {};
    for (const d of docs.value)
      if (d.type === 'payment_update' && factMatchesOrder(d, orderById.value.get(d.order_id))) (map[d.request_id] ??= []).push(d);
    return map;
  });

  function requestState(request: PaymentRequest): RequestState {
    const paid = (payments.value[request.order_id] ?? []).some((p) => p.writer === 'connector' && p.request_id === request._id);
    const mine = updates.value[request._id] ?? [];
    const final = mine.find((u) => u.status !== 'pending');
    const pending = mine.find((u) => u.status === 'pending');
    const status: RequestState['status'] = paid ? 'paid' : final ? final.status : pending ? 'pending' : 'waiting';
    return {
      status,
      qr: pending?.qr_string ?? null,
      expiresAt: pending?.expires_at ?? null,
      reason: final?.reason ?? null,
    };
  }

  function status(order: Order): OrderStatus {
    const pays = payments.value[order._id] ?? [];
    const paid = pays.reduce((s, p) => s + p.amount, 0);
    return {
      paid,
      refunded: (refunds.value[order._id] ?? []).reduce((s, r) => s + r.amount, 0),
      isPaid: paid >= order.total,
      voided: (voids.value[order._id] ?? []).length > 0,
      kitchen: kitchenStatus(events.value[order._id] ?? []),
      methods: [...new Set(pays.map((p) => p.method))],
    };
  }

  /** Every open order short of its total, whatever the customer chose: a kiosk QRIS that failed is paid here too. */
  const awaitingPayment = computed(() => orders.value.filter((o) => !status(o).isPaid && !status(o).voided));
  /** Orders sharing their number with another order that day (seed scenario 4): screens show a tag beside the number. */
  const colliding = computed(() => collidingOrderIds(orders.value));
  const today = computed(() => {
    const day = localDay(nowIso());
    return orders.value.filter((o) => localDay(o.created_at) === day);
  });

  /** Saves on the device; a full or broken storage becomes a clear error and nothing half-written. */
  async function save(docsToWrite: OpsDoc[]) {
    if (!config) throw new Error('This device is not set up as a terminal.');
    for (const d of docsToWrite) {
      const errors = structureErrors(d as unknown as Record<string, unknown>);
      if (errors.length) throw new Error(`Invalid ${d.type}: ${errors.join('; ')}`);
    }
    // The documents are valid (checked above), so a local write fails only when the device's
    // storage is full or broken; a storage that stops answering must not hang the screen either.
    let res: (PouchDB.Core.Response | PouchDB.Core.Error)[];
    try {
      res = await Promise.race([
        terminalDbs(config).ops.bulkDocs(docsToWrite),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('device storage did not answer within 15 s')), 15_000)),
      ]);
    } catch (e) {
      useSync().storageError = true;
      throw new StorageFull((e as Error).message ?? String(e));
    }
    const failed = res.find((r) => 'error' in r && r.error);
    if (failed) throw new Error(`Could not save ${failed.id}: ${(failed as PouchDB.Core.Error).message ?? 'error'}`);
    useSync().storageError = false;
    const written = docsToWrite.flatMap((doc, i) => {
      const r = res[i];
      return r && 'rev' in r && r.rev ? [{ doc, rev: r.rev }] : [];
    });
    useSync().written(written.map((w) => ({ id: w.doc._id, rev: w.rev })));
    for (const w of written) apply(w.doc._id, { ...w.doc, _rev: w.rev }, false);
  }

  async function placeOrder(
    cart: PricedCart,
    choices: Omit<OrderChoices, 'number'>,
    opts: { viaProvider?: boolean } = {},
  ): Promise<{ order: Order; request: PaymentRequest | null }> {
    if (!config) throw new Error('This device is not set up as a terminal.');
    const now = nowIso();
    const number = await nextOrderNumber(terminalDbs(config).ops, config.orderPrefix, config.code);
    const order = buildOrder(config, cart, { ...choices, number }, now);
    // QRIS is asked of the provider with the order, in one write; only the provider's answer makes it paid.
    const request = opts.viaProvider ? buildPaymentRequest(config, order, now) : null;
    await save(request ? [order, request] : [order]);
    return { order, request };
  }

  async function pay(
    order: Order,
    method: PaymentMethod,
    amount: number,
    extra: { tendered?: number; reference?: string },
    acting: Acting,
  ) {
    if (!config) throw new Error('This device is not set up as a terminal.');
    const p = buildPayment(config, order, method, amount, extra, acting, nowIso());
    await save([p]);
    return p;
  }

  const lastBumped = shallowRef<Order | null>(null);

  /** A kitchen status change is a new event document; displays that bump the same ticket never conflict. */
  async function bump(order: Order, status: TicketStatus) {
    if (!config) throw new Error('This device is not set up as a terminal.');
    await save([buildTicketEvent(config, order, status, nowIso())]);
    lastBumped.value = status === 'recalled' ? null : order;
  }

  async function voidOrder(order: Order, reason: string, acting: Acting, approval: Approval) {
    if (!config) throw new Error('This device is not set up as a terminal.');
    await save([buildVoid(config, order, reason, acting, approval, nowIso())]);
  }

  async function refund(order: Order, choice: RefundChoice, reason: string, acting: Acting, approval: Approval) {
    if (!config) throw new Error('This device is not set up as a terminal.');
    await save([buildRefund(config, order, choice, reason, acting, approval, nowIso())]);
  }

  async function startShift(staff: Pick<Acting, 'staff' | 'staffName'>, float: number) {
    if (!config) throw new Error('This device is not set up as a terminal.');
    if (openShift.value) throw new Error('A shift is already open on this terminal: close it first.');
    await save([buildShiftOpen(config, staff, float, nowIso())]);
  }

  async function moveCash(kind: CashMovement['kind'], amount: number, reason: string, acting: Acting) {
    if (!config) throw new Error('This device is not set up as a terminal.');
    await save([buildCashMovement(config, kind, amount, reason, acting, nowIso())]);
  }

  async function closeShift(counted: number, expected: number, acting: Acting) {
    if (!config) throw new Error('This device is not set up as a terminal.');
    await save([buildShiftClose(config, counted, expected, acting, nowIso())]);
  }

  /** Flags this terminal's orders that charged a price the catalog had already changed (seed scenario 3). */
  async function flagPriceOverrides(products: Record<string, Product>) {
    if (!config) return;
    const c = config;
    const found = priceOverrides(orders.value, products, c.code, (id) =>
      (reviews.value[id] ?? []).some((r) => r.reason === 'price_override'),
    );
    if (found.length) await save(found.map((f) => buildReview(c, f.order._id, 'price_override', f.detail, nowIso())));
  }

  const flagging = new Set<string>();

  /**
   * Flags each order that reused a number another order already had that day (seed scenario
   * 4). Only order-taking terminals write reviews; the id is the same on every device, so a
   * collision two tablets notice is still one document.
   */
  async function flagNumberCollisions() {
    if (!config || !['kiosk', 'cashier', 'waiter'].includes(config.type)) return;
    const c = config;
    const found = numberCollisions(orders.value, (id) => byId.has(id) || flagging.has(id));
    if (!found.length) return;
    for (const f of found) flagging.add(f.reviewId);
    try {
      await save(found.map((f) => ({ ...buildReview(c, f.order._id, 'number_collision', f.detail, nowIso()), _id: f.reviewId })));
    } finally {
      for (const f of found) flagging.delete(f.reviewId);
    }
  }

  return {
    orders,
    colliding,
    payments,
    voids,
    refunds,
    ledger,
    openShift,
    events,
    reviews,
    awaitingPayment,
    today,
    status,
    start,
    placeOrder,
    requestState,
    pay,
    voidOrder,
    refund,
    startShift,
    moveCash,
    closeShift,
    flagPriceOverrides,
    flagNumberCollisions,
    bump,
    lastBumped,
  };
});
