// What a kitchen display shows, derived from orders and their status events. Pure, so the
// rules (colour aging, all-day counts, today's stats) are tested without a browser.
import { matchingFacts } from '../../../design-docs/lib/fact-match';
import type { Order, TicketEvent } from '../../../design-docs/lib/types';
import { kitchenStatus, sortEvents, type KitchenStatus } from '../orders/ticket-status';

export type AgeColor = 'green' | 'amber' | 'red';

export function ageColor(createdAt: string, now: number, amberMin = 5, redMin = 10): AgeColor {
  const minutes = (now - Date.parse(createdAt)) / 60_000;
  return minutes >= redMin ? 'red' : minutes >= amberMin ? 'amber' : 'green';
}

export function ageLabel(createdAt: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export interface Ticket {
  order: Order;
  status: KitchenStatus;
  /** Paid in full: an unpaid ticket carries a "BELUM BAYAR" mark. */
  paid: boolean;
  /** Voided after it reached the kitchen: a void ticket the cook acknowledges (a `served` event) instead of cooking. */
  voided: boolean;
}

/** The store's rule (StoreDoc.kitchen_sends): cook on order, or only once paid. */
export type KitchenSends = 'on_order' | 'when_paid';

export interface OrderMoney {
  isPaid: boolean;
  voided: boolean;
}

/** The order's status events that count: from its own brand and store (another brand's kitchen cannot move it). */
export function eventsOf(order: Order, events: Record<string, TicketEvent[]>): TicketEvent[] {
  return matchingFacts(events[order._id], order);
}

/**
 * Tickets on the kitchen's screen, oldest first: not yet served (a void ticket until the cook
 * acknowledges it). With `when_paid`, an unpaid order reaches the kitchen only once it is paid,
 * unless the kitchen had already started it (the rule changed meanwhile); a voided order that
 * never reached the kitchen shows nothing.
 */
export function openTickets(
  orders: Order[],
  events: Record<string, TicketEvent[]>,
  money: (o: Order) => OrderMoney,
  sends: KitchenSends = 'on_order',
): Ticket[] {
  return orders
    .map((o) => {
      const m = money(o);
      return { order: o, status: kitchenStatus(eventsOf(o, events)), paid: m.isPaid, voided: m.voided };
    })
    .filter((t) => t.status !== 'served' && (sends === 'on_order' || t.paid || t.status !== 'new'))
    .sort((a, b) => (a.order.created_at < b.order.created_at ? -1 : 1));
}

/** Tickets to cook and to call: the board and the all-day counts follow the kitchen, without void tickets. */
export function liveTickets(tickets: Ticket[]): Ticket[] {
  return tickets.filter((t) => !t.voided);
}

/** Items still to make across tickets that are new or being prepared (void tickets are not made). */
export function allDayCounts(tickets: Ticket[]): { name: string; qty: number }[] {
  const counts = new Map<string, number>();
  for (const t of liveTickets(tickets))
    if (t.status === 'new' || t.status === 'preparing')
      for (const i of t.order.items) counts.set(i.name, (counts.get(i.name) ?? 0) + i.qty);
  return [...counts.entries()].map(([name, qty]) => ({ name, qty })).sort((a, b) => b.qty - a.qty || a.name.localeCompare(b.name));
}

/** Tickets that reached ready since `since`, and their average time from order to ready. */
export function statsSince(
  orders: Order[],
  events: Record<string, TicketEvent[]>,
  since: string,
): { done: number; avgPrepMs: number | null } {
  let done = 0;
  let total = 0;
  for (const o of orders) {
    const ready = sortEvents(eventsOf(o, events)).find((e) => e.status === 'ready');
    if (!ready || ready.created_at < since) continue;
    done += 1;
    total += Date.parse(ready.created_at) - Date.parse(o.created_at);
  }
  return { done, avgPrepMs: done ? total / done : null };
}

/** When an order last became ready (for clearing it from the ready board). */
export function readyAt(events: TicketEvent[]): string | null {
  const e = sortEvents(events)
    .filter((x) => x.status === 'ready')
    .pop();
  return e?.created_at ?? null;
}

export const NEXT_STATUS: Record<KitchenStatus, Exclude<TicketEvent['status'], 'recalled'> | null> = {
  new: 'preparing',
  preparing: 'ready',
  ready: 'served',
  served: null,
};
