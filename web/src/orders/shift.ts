// A cashier's shift: orders and takings since the shift started, by payment method.
import type { Order, Payment, PaymentMethod } from '../../../design-docs/lib/types';

export interface ShiftSummary {
  orders: number;
  voided: number;
  total: number;
  byMethod: Record<PaymentMethod, number>;
}

export function summarizeShift(
  since: string,
  orders: Order[],
  payments: Record<string, Payment[]>,
  voided: (o: Order) => boolean,
  terminal: string,
): ShiftSummary {
  const s: ShiftSummary = { orders: 0, voided: 0, total: 0, byMethod: { cash: 0, qris: 0, card: 0 } };
  for (const o of orders) {
    if (o.created_at < since) continue;
    if (voided(o)) {
      s.voided += 1;
      continue;
    }
    const mine = (payments[o._id] ?? []).filter((p) => p.writer === undefined && p.terminal === terminal && p.created_at >= since);
    if (o.terminal !== terminal && mine.length === 0) continue;
    s.orders += 1;
    for (const p of mine) {
      s.byMethod[p.method] += p.amount;
      s.total += p.amount;
    }
  }
  return s;
}
