// Lapak's accounting rules, in one place: what gross and net sales, discounts, service, tax,
// voids, refunds, payments by method, unpaid orders and expected cash are. The cashier's X and Z
// reports use it and its property test (accounting.test.ts) checks the identities below on random
// business days. Documents may arrive late, out of order or twice: the result depends only on the
// set of documents, and a fact counts only when it matches its order (fact-match.ts).
//
// Identities (checked by accounting.test.ts):
//   net = gross - discounts                      total = net + service + tax
//   collected = sum of payments.byMethod          refunded = sum of refunds.byMethod
//   when every fact of the scope's orders is in scope:
//     collected - refunded = total - refunds.onSales - unpaid.amount + overpaid + heldOnVoids
//   cash.expected = float + cash payments - cash refunds + pay-ins - pay-outs
import { matchingFacts } from './fact-match';
import type { CashMovement, Order, Payment, PaymentMethod, Refund, ShiftClose, ShiftOpen, Void } from './types';
import { PAYMENT_METHODS } from './types';

export type ByMethod = Record<PaymentMethod, number>;

export interface Summary {
  /** Orders in scope that were not voided. */
  orders: number;
  gross: number;
  discounts: number;
  net: number;
  service: number;
  tax: number;
  /** What the customers of those orders owe in all: net + service + tax. */
  total: number;
  voids: { count: number; amount: number };
  payments: { count: number; byMethod: ByMethod; collected: number };
  refunds: { count: number; byMethod: ByMethod; refunded: number; onSales: number; onVoids: number };
  /** Orders in scope, not voided, short of their total: what is still to be collected. */
  unpaid: { count: number; amount: number };
  /** Paid beyond an order's total (two cashiers took the same order offline): to give back. */
  overpaid: number;
  /** Paid on voided orders and not yet refunded: to give back. */
  heldOnVoids: number;
  cash: { float: number; payIns: number; payOuts: number; sales: number; refunds: number; expected: number };
}

type Fact = Payment | Refund | Void;
export type LedgerDoc = Order | Fact | ShiftOpen | CashMovement | ShiftClose | { _id: string; type: string };

/** Which documents a report covers: orders by one predicate, facts and drawer documents by another. */
export interface Scope {
  order: (o: Order) => boolean;
  fact: (d: { created_at: string; shift_id?: string }) => boolean;
}

function zero(): ByMethod {
  return Object.fromEntries(PAYMENT_METHODS.map((m) => [m, 0])) as ByMethod;
}

/** The documents by type, each id once (replication may deliver the same document twice). */
export function indexLedger(docs: LedgerDoc[]) {
  const seen = new Map<string, LedgerDoc>();
  for (const d of docs) if (!seen.has(d._id)) seen.set(d._id, d);
  const all = [...seen.values()];
  const orders = new Map<string, Order>();
  const facts = new Map<string, { payments: Payment[]; refunds: Refund[]; voids: Void[] }>();
  const movements: CashMovement[] = [];
  const opens: ShiftOpen[] = [];
  const closes: ShiftClose[] = [];
  for (const d of all) {
    if (d.type === 'order') orders.set(d._id, d as Order);
    else if (d.type === 'cash_movement') movements.push(d as CashMovement);
    else if (d.type === 'shift_open') opens.push(d as ShiftOpen);
    else if (d.type === 'shift_close') closes.push(d as ShiftClose);
    else if (d.type === 'payment' || d.type === 'refund' || d.type === 'void') {
      const f = d as Fact;
      const entry = facts.get(f.order_id) ?? { payments: [], refunds: [], voids: [] };
      if (f.type === 'payment') entry.payments.push(f);
      else if (f.type === 'refund') entry.refunds.push(f);
      else entry.voids.push(f);
      facts.set(f.order_id, entry);
    }
  }
  // Each order's facts, only those that match it: a fact for a missing or another brand's order counts nowhere.
  const byOrder = new Map<string, { payments: Payment[]; refunds: Refund[]; voids: Void[] }>();
  for (const [id, f] of facts) {
    const o = orders.get(id);
    if (!o) continue;
    byOrder.set(id, { payments: matchingFacts(f.payments, o), refunds: matchingFacts(f.refunds, o), voids: matchingFacts(f.voids, o) });
  }
  return { orders, byOrder, movements, opens, closes };
}

export type Ledger = ReturnType<typeof indexLedger>;

/** What was paid and refunded on an order, and whether it was voided (every fact, whatever its scope). */
export function orderBalance(ledger: Ledger, order: Order) {
  const f = ledger.byOrder.get(order._id);
  const paid = (f?.payments ?? []).reduce((s, p) => s + p.amount, 0);
  const refunded = (f?.refunds ?? []).reduce((s, r) => s + r.amount, 0);
  return { paid, refunded, voided: (f?.voids.length ?? 0) > 0, outstanding: Math.max(0, order.total - paid) };
}

export function summarize(ledger: Ledger, scope: Scope): Summary {
  const s: Summary = {
    orders: 0,
    gross: 0,
    discounts: 0,
    net: 0,
    service: 0,
    tax: 0,
    total: 0,
    voids: { count: 0, amount: 0 },
    payments: { count: 0, byMethod: zero(), collected: 0 },
    refunds: { count: 0, byMethod: zero(), refunded: 0, onSales: 0, onVoids: 0 },
    unpaid: { count: 0, amount: 0 },
    overpaid: 0,
    heldOnVoids: 0,
    cash: { float: 0, payIns: 0, payOuts: 0, sales: 0, refunds: 0, expected: 0 },
  };
  for (const o of ledger.orders.values()) {
    const b = orderBalance(ledger, o);
    const f = ledger.byOrder.get(o._id);
    for (const p of f?.payments ?? []) {
      if (!scope.fact(p)) continue;
      s.payments.count += 1;
      s.payments.byMethod[p.method] += p.amount;
      s.payments.collected += p.amount;
      if (p.method === 'cash') s.cash.sales += p.amount;
    }
    for (const r of f?.refunds ?? []) {
      if (!scope.fact(r)) continue;
      s.refunds.count += 1;
      s.refunds.byMethod[r.method] += r.amount;
      s.refunds.refunded += r.amount;
      if (b.voided) s.refunds.onVoids += r.amount;
      else s.refunds.onSales += r.amount;
      if (r.method === 'cash') s.cash.refunds += r.amount;
    }
    if (!scope.order(o)) continue;
    if (b.voided) {
      s.voids.count += 1;
      s.voids.amount += o.total;
      s.heldOnVoids += b.paid - b.refunded;
      continue;
    }
    s.orders += 1;
    s.gross += o.subtotal;
    s.discounts += o.discount_total;
    s.service += o.service_charge;
    s.tax += o.tax;
    s.total += o.total;
    if (b.outstanding > 0) {
      s.unpaid.count += 1;
      s.unpaid.amount += b.outstanding;
    }
    s.overpaid += Math.max(0, b.paid - o.total);
  }
  s.net = s.gross - s.discounts;
  for (const open of ledger.opens) if (scope.fact(open)) s.cash.float += open.float;
  for (const m of ledger.movements) {
    if (!scope.fact(m)) continue;
    if (m.kind === 'pay_in') s.cash.payIns += m.amount;
    else s.cash.payOuts += m.amount;
  }
  s.cash.expected = s.cash.float + s.cash.sales - s.cash.refunds + s.cash.payIns - s.cash.payOuts;
  return s;
}

/** Two summaries added up, figure by figure: HQ's total of its stores. */
export function addSummaries(a: Summary, b: Summary): Summary {
  const sum = (x: unknown, y: unknown): unknown =>
    typeof x === 'number'
      ? x + (y as number)
      : Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, sum(v, (y as Record<string, unknown>)[k])]));
  return sum(a, b) as Summary;
}

/** A cash shift: the drawer's own documents, and the orders it took money for or created. */
export function shiftScope(ledger: Ledger, shiftId: string, terminal: string): Scope {
  const open = ledger.opens.find((o) => o.shift_id === shiftId);
  const close = ledger.closes.find((c) => c.shift_id === shiftId);
  const inShift = (d: { created_at: string; shift_id?: string }) => d.shift_id === shiftId;
  return {
    fact: inShift,
    order: (o) =>
      (ledger.byOrder.get(o._id)?.payments ?? []).some(inShift) ||
      (o.terminal === terminal && !!open && o.created_at >= open.created_at && (!close || o.created_at <= close.created_at)),
  };
}

/**
 * The business day an instant belongs to: the store-local date, counted from the store's
 * closing hour (4 by default), so that a sale at 01:30 belongs to the day before.
 */
export const BUSINESS_DAY_ENDS_HOUR = 4;

export function businessDay(iso: string, timeZone: string, endsHour = BUSINESS_DAY_ENDS_HOUR): string {
  const shifted = new Date(Date.parse(iso) - endsHour * 3600_000);
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(shifted)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

/** A store's business days `from`..`to` (inclusive): every order created and every fact written in them, cashier or connector, any shift or none. */
export function daysScope(from: string, to: string, timeZone: string, endsHour?: number): Scope {
  const inDays = (d: { created_at: string }) => {
    const day = businessDay(d.created_at, timeZone, endsHour);
    return day >= from && day <= to;
  };
  return { order: inDays, fact: inDays };
}

export function dayScope(day: string, timeZone: string, endsHour?: number): Scope {
  return daysScope(day, day, timeZone, endsHour);
}
