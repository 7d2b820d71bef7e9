// The checks validate_doc_update cannot make, because it sees one document at a time: an
// order against the catalog and the store's rates and its terminal's binding; a payment,
// void, refund or ticket event against its order. Pure: the auditor (auditor.ts) gathers the
// documents, these functions say what is wrong. Each finding is a stable code (what HQ can
// filter on) and a sentence for people.
import { orderTotals } from '../../design-docs/lib/money';
import {
  APPROVER_ROLES,
  type Binding,
  type Order,
  type Payment,
  type Product,
  type Promotion,
  type Refund,
  type Staff,
  type StoreDoc,
  type Terminal,
} from '../../design-docs/lib/types';
import { factMismatch } from '../../design-docs/lib/fact-match';
import type { TerminalType } from '../../design-docs/lib/names';
import { promotionActive, promotionDiscount, type PromotionLine } from '../../design-docs/lib/promotion';

export interface Finding {
  check: string;
  detail: string;
}

/** What the auditor knows of the store when it checks a batch. */
export interface AuditWorld {
  tenant: string;
  store: string;
  products: Map<string, Product>;
  promotions: Map<string, Promotion>;
  storeDoc: StoreDoc | null;
  terminals: Map<string, Terminal>;
  bindings: Map<string, Binding>;
  /** The store's people (`staff:<key>`), active or not: a deactivated person's old facts stay theirs. */
  staff: Map<string, Staff>;
}

/** A fact as written by a terminal (order, payment, void, refund, ticket event); extra fields are ignored. */
export type Fact = Record<string, unknown> & {
  _id: string;
  type: string;
  tenant: string;
  store: string;
  brand: string;
  terminal: string;
  terminal_type: TerminalType;
  device_id: string;
  created_at: string;
  order_id?: string;
};

export const FACT_TYPES = ['order', 'payment', 'void', 'refund', 'ticket_event'];

const rp = (n: number) => `Rp ${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;

/** Every fact: of this store, and written from the device its terminal is bound to. */
export function writerFindings(fact: Fact, w: AuditWorld): Finding[] {
  const out: Finding[] = [];
  if (fact.tenant !== w.tenant || fact.store !== w.store)
    out.push({ check: 'wrong_store', detail: `it belongs to ${fact.tenant}/${fact.store}, not to this store ${w.tenant}/${w.store}` });
  const b = w.bindings.get(fact.terminal);
  // A binding made after the fact (the terminal was re-paired since) says nothing about the device it used then.
  if (b && b.device_id !== fact.device_id && fact.created_at >= b.assigned_at)
    out.push({
      check: 'device',
      detail: `written from device ${fact.device_id}, but ${fact.terminal} is bound to ${b.device_id} since ${b.assigned_at}`,
    });
  // Validate sees only that a cashier fact names someone; whether that someone exists, and may approve, is known here.
  if (typeof fact.staff === 'string' && !w.staff.has(fact.staff))
    out.push({
      check: 'staff_unknown',
      detail: `${fact.type} by ${String(fact.staff_name)} (${fact.staff}), who is not on the store's staff`,
    });
  if (typeof fact.approved_by === 'string') {
    const approver = w.staff.get(fact.approved_by);
    if (!approver || !APPROVER_ROLES.includes(approver.role))
      out.push({
        check: 'approver',
        detail: `${fact.type} approved by ${String(fact.approved_by_name)} (${fact.approved_by}), who ${approver ? `is a ${approver.role}, not a supervisor or manager` : "is not on the store's staff"}`,
      });
  }
  return out;
}

function cartLine(order: Order, i: number): PromotionLine {
  const item = order.items[i]!;
  return { product: { _id: item.product_id, brand: order.brand }, qty: item.qty };
}

/**
 * Prices against the catalog in force when the order was made. The store keeps only each
 * catalog document's current version, so a product or promotion changed after the order
 * cannot be checked (the old price is gone): that is skipped, not flagged.
 */
export function orderFindings(order: Order, w: AuditWorld): Finding[] {
  const out: Finding[] = [];
  const at = order.created_at;
  order.items.forEach((item, i) => {
    const p = w.products.get(item.product_id);
    if (!p) return out.push({ check: 'product_unknown', detail: `item ${i + 1} (${item.name}): ${item.product_id} is not in the catalog` });
    if (p.brand !== order.brand)
      return out.push({ check: 'product_brand', detail: `item ${i + 1} (${item.name}) is a product of ${p.brand}, not ${order.brand}` });
    if (p.updated_at > at) return;
    if (item.unit_price !== p.price)
      out.push({
        check: 'price',
        detail: `${item.name}: charged ${rp(item.unit_price)}, catalog ${rp(p.price)} since ${p.updated_at}`,
      });
    for (const m of item.modifiers) {
      const option = p.modifier_groups.find((g) => g.id === m.group_id)?.options.find((o) => o.id === m.option_id);
      if (!option)
        out.push({ check: 'modifier_unknown', detail: `${item.name}: option ${m.group_id}/${m.option_id} is not in the catalog` });
      else if (option.price !== m.price)
        out.push({ check: 'modifier_price', detail: `${item.name} ${m.name}: charged ${rp(m.price)}, catalog ${rp(option.price)}` });
    }
  });

  const lines = order.items.map((_, i) => cartLine(order, i));
  const known: Promotion[] = [];
  let uncertain = false;
  for (const ap of order.promotions) {
    const promo = w.promotions.get(ap.promotion_id);
    if (!promo) {
      out.push({ check: 'promotion_unknown', detail: `promotion ${ap.promotion_id} (${ap.name}) is not in the catalog` });
      continue;
    }
    if (promo.brand !== order.brand) {
      out.push({ check: 'promotion_brand', detail: `promotion ${promo.name} is of ${promo.brand}, not ${order.brand}` });
      continue;
    }
    if (promo.updated_at > at) {
      uncertain = true;
      continue;
    }
    known.push(promo);
    if (!promotionActive(promo, at)) out.push({ check: 'promotion_inactive', detail: `promotion ${promo.name} was not active at ${at}` });
    const most = lines.reduce((s, l, i) => s + promotionDiscount(promo, l, order.items[i]!.line_total), 0);
    if (ap.amount > most)
      out.push({ check: 'promotion_amount', detail: `promotion ${promo.name}: ${rp(ap.amount)} off, at most ${rp(most)} on these items` });
  }
  // One promotion per line (the best): the whole discount is at most the best one each line could get.
  if (!uncertain && known.length === order.promotions.length) {
    const best = lines.reduce((s, l, i) => s + Math.max(0, ...known.map((p) => promotionDiscount(p, l, order.items[i]!.line_total))), 0);
    if (order.discount_total > best)
      out.push({ check: 'discount_total', detail: `discount ${rp(order.discount_total)}, at most ${rp(best)} with these promotions` });
  }

  const s = w.storeDoc;
  if (s && s.updated_at <= at) {
    const t = orderTotals(
      order.items.map((i) => i.line_total),
      order.discount_total,
      s.service_rate_bp,
      s.tax_rate_bp,
    );
    if (t.service_charge !== order.service_charge || t.tax !== order.tax || t.total !== order.total)
      out.push({
        check: 'totals',
        detail: `service ${rp(order.service_charge)}, tax ${rp(order.tax)}, total ${rp(order.total)}; the store's rates give ${rp(t.service_charge)}, ${rp(t.tax)}, ${rp(t.total)}`,
      });
  }
  return out;
}

/** The order's payments that count, oldest first (ids are UUIDv7): matching, and not beyond the total. */
export function confirmedPayments(order: Order, payments: Payment[]): Payment[] {
  let sum = 0;
  const out: Payment[] = [];
  for (const p of [...payments].sort((a, b) => (a._id < b._id ? -1 : 1))) {
    if (factMismatch(p, order) || sum + p.amount > order.total) continue;
    sum += p.amount;
    out.push(p);
  }
  return out;
}

/** Payments and refunds of the order already stored (any brand: the checks filter them). */
export interface Related {
  payments: Payment[];
  refunds: Refund[];
}

/** A fact against its existing order. */
export function factFindings(fact: Fact, order: Order, related: Related, w: AuditWorld): Finding[] {
  const mismatch = factMismatch(fact, order);
  if (mismatch === 'order_missing') return [{ check: 'order_missing', detail: `order ${String(fact.order_id)} does not exist` }];
  if (mismatch === 'order_store')
    return [
      {
        check: 'order_store',
        detail: `order ${order.number} is of store ${order.tenant}/${order.store}, not ${fact.tenant}/${fact.store}`,
      },
    ];
  if (mismatch === 'order_brand')
    return [
      { check: 'order_brand', detail: `a ${fact.type} by ${fact.brand} (${fact.terminal}) for order ${order.number} of ${order.brand}` },
    ];
  const out: Finding[] = [];
  const writer = w.terminals.get(fact.terminal);
  if (fact.type === 'payment') {
    const p = fact as unknown as Payment;
    // The connector's payments name no terminal: validate allowed only its own account to write them.
    const type = p.writer === undefined ? writer?.terminal_type : undefined;
    if (type !== undefined && type !== 'cashier')
      out.push({
        check: 'method',
        detail: `a ${type} (${fact.terminal}) cannot take payments: a cashier or the payment provider confirms them`,
      });
    if (!confirmedPayments(order, [...related.payments.filter((x) => x._id !== p._id), p]).some((x) => x._id === p._id)) {
      const before = confirmedPayments(
        order,
        related.payments.filter((x) => x._id < p._id),
      ).reduce((s, x) => s + x.amount, 0);
      out.push({
        check: 'overpaid',
        detail: `${rp(p.amount)} paid on order ${order.number} of ${rp(order.total)}, of which ${rp(before)} was already paid`,
      });
    }
  }
  if (fact.type === 'refund') {
    const r = fact as unknown as Refund;
    const paid = confirmedPayments(order, related.payments).reduce((s, x) => s + x.amount, 0);
    const refunded = related.refunds
      .filter((x) => x._id !== r._id && x._id < r._id && !factMismatch(x, order))
      .reduce((s, x) => s + x.amount, 0);
    if (refunded + r.amount > paid)
      out.push({
        check: 'over_refund',
        detail: `refund of ${rp(r.amount)} on order ${order.number}: ${rp(paid)} was paid and ${rp(refunded)} already refunded`,
      });
  }
  return out;
}
