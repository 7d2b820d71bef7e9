// Turns the report views' rows of several stores into one report in store-local time, by each
// store's business day (a sale at 01:30 belongs to the day before: accounting.ts `businessDay`).
// Voided orders are taken out of the buckets they were sold in; payments, refunds and
// preparation times of facts that do not match their order (fact-match.ts) are taken back out
// of the sums the views made.
import type { OrderItem } from '../../../../design-docs/lib/types';
import { businessDay } from '../../../../design-docs/lib/accounting';
import { localHour } from './zoned';

export interface Stats {
  count: number;
  sum: number;
}

export interface VoidedOrder {
  created_at: string;
  brand: string;
  total: number;
  items: OrderItem[];
}

/** A fact the views counted that does not match its order: its payment, refund or preparation time is taken back out. */
export interface IgnoredFact {
  type: 'payment' | 'refund' | 'ticket_event';
  brand: string;
  method?: string;
  amount?: number;
  /** Preparation time, only when prep_by_hour counted it. */
  seconds?: number;
}

export interface StoreRows {
  store: string;
  timeZone: string;
  /** The local hour the store's business day ends (StoreDoc.business_day_ends_hour). */
  endsHour: number;
  sales: { key: [string, string]; value: Stats }[];
  payments: { key: [string, string, string]; value: Stats }[];
  items: { key: [string, string, string, string]; value: [number, number] }[];
  prep: { key: [string, string]; value: Stats }[];
  voided: VoidedOrder[];
  ignored?: IgnoredFact[];
}

export interface Row {
  key: string;
  orders: number;
  amount: number;
}

export interface DetailRow {
  date: string;
  hour: string;
  store: string;
  brand: string;
  orders: number;
  amount: number;
}

export interface SalesReport {
  total: { orders: number; amount: number; voids: number; voidedAmount: number };
  byStore: Row[];
  byBrand: Row[];
  /** 24 rows, local hours "00".."23". */
  byHour: Row[];
  byDay: Row[];
  byPayment: { method: string; count: number; amount: number; refunded: number }[];
  topItems: { product_id: string; name: string; brand: string; qty: number; amount: number }[];
  prep: { brand: string; tickets: number; avgSeconds: number }[];
  /** One row per store-local hour, store and brand: the CSV export. */
  detail: DetailRow[];
}

class Tally {
  readonly rows = new Map<string, Row>();
  add(key: string, orders: number, amount: number) {
    const row = this.rows.get(key) ?? { key, orders: 0, amount: 0 };
    row.orders += orders;
    row.amount += amount;
    this.rows.set(key, row);
  }
  sorted(by: 'key' | 'amount'): Row[] {
    const rows = [...this.rows.values()];
    return by === 'key' ? rows.sort((a, b) => a.key.localeCompare(b.key)) : rows.sort((a, b) => b.amount - a.amount);
  }
}

export function buildReport(stores: StoreRows[], topN = 10): SalesReport {
  const byStore = new Tally();
  const byBrand = new Tally();
  const byHour = new Tally();
  const byDay = new Tally();
  const detail = new Map<string, DetailRow>();
  const payments = new Map<string, { method: string; count: number; amount: number; refunded: number }>();
  const items = new Map<string, { product_id: string; name: string; brand: string; qty: number; amount: number }>();
  const prep = new Map<string, Stats>();
  const total = { orders: 0, amount: 0, voids: 0, voidedAmount: 0 };

  function sale(s: StoreRows, utcHour: string, brand: string, orders: number, amount: number) {
    const { hour } = localHour(utcHour, s.timeZone);
    const date = businessDay(`${utcHour}:00:00.000Z`, s.timeZone, s.endsHour);
    byStore.add(s.store, orders, amount);
    byBrand.add(brand, orders, amount);
    byHour.add(hour, orders, amount);
    byDay.add(date, orders, amount);
    const k = `${date}T${hour}|${s.store}|${brand}`;
    const row = detail.get(k) ?? { date, hour, store: s.store, brand, orders: 0, amount: 0 };
    row.orders += orders;
    row.amount += amount;
    detail.set(k, row);
    total.orders += orders;
    total.amount += amount;
  }

  function item(brand: string, productId: string, name: string, qty: number, amount: number) {
    const k = `${brand}|${productId}`;
    const it = items.get(k) ?? { product_id: productId, name, brand, qty: 0, amount: 0 };
    it.qty += qty;
    it.amount += amount;
    items.set(k, it);
  }

  for (const s of stores) {
    for (const r of s.sales) sale(s, r.key[0], r.key[1], r.value.count, r.value.sum);
    for (const r of s.items) item(r.key[1], r.key[2], r.key[3], r.value[0], r.value[1]);
    for (const v of s.voided) {
      sale(s, v.created_at.slice(0, 13), v.brand, -1, -v.total);
      total.voids += 1;
      total.voidedAmount += v.total;
      for (const it of v.items) item(v.brand, it.product_id, it.name, -it.qty, -it.line_total);
    }
    for (const r of s.payments) {
      const [, method, kind] = r.key;
      const p = payments.get(method) ?? { method, count: 0, amount: 0, refunded: 0 };
      if (kind === 'refund') p.refunded += r.value.sum;
      else {
        p.count += r.value.count;
        p.amount += r.value.sum;
      }
      payments.set(method, p);
    }
    for (const r of s.prep) {
      const p = prep.get(r.key[1]) ?? { count: 0, sum: 0 };
      p.count += r.value.count;
      p.sum += r.value.sum;
      prep.set(r.key[1], p);
    }
    for (const f of s.ignored ?? []) {
      if (f.type === 'ticket_event') {
        const p = prep.get(f.brand);
        if (!p || f.seconds === undefined) continue;
        p.count -= 1;
        p.sum -= f.seconds;
        if (p.count <= 0) prep.delete(f.brand);
        continue;
      }
      const p = payments.get(f.method ?? '');
      if (!p) continue;
      if (f.type === 'refund') p.refunded -= f.amount ?? 0;
      else {
        p.count -= 1;
        p.amount -= f.amount ?? 0;
      }
      if (p.count <= 0 && p.amount <= 0 && p.refunded <= 0) payments.delete(p.method);
    }
  }

  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  return {
    total,
    byStore: byStore.sorted('amount'),
    byBrand: byBrand.sorted('amount'),
    byHour: hours.map((h) => byHour.rows.get(h) ?? { key: h, orders: 0, amount: 0 }),
    byDay: byDay.sorted('key'),
    byPayment: [...payments.values()].sort((a, b) => b.amount - a.amount),
    topItems: [...items.values()]
      .filter((i) => i.qty > 0)
      .sort((a, b) => b.qty - a.qty || b.amount - a.amount)
      .slice(0, topN),
    prep: [...prep.entries()]
      .map(([brand, p]) => ({ brand, tickets: p.count, avgSeconds: p.count ? Math.round(p.sum / p.count) : 0 }))
      .sort((a, b) => a.brand.localeCompare(b.brand)),
    detail: [...detail.values()].sort((a, b) =>
      `${a.date}${a.hour}${a.store}${a.brand}`.localeCompare(`${b.date}${b.hour}${b.store}${b.brand}`),
    ),
  };
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Sales per store-local hour, store and brand; amounts in whole rupiah. */
export function reportCsv(r: SalesReport): string {
  const lines = [['date', 'hour', 'store', 'brand', 'orders', 'sales_idr']];
  for (const d of r.detail) lines.push([d.date, `${d.hour}:00`, d.store, d.brand, String(d.orders), String(d.amount)]);
  return lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
