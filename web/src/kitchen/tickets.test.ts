import { describe, expect, it } from 'vitest';
import { kiosk, order, ticketEvent, terminalOf } from '../../../design-docs/testing/fixtures';
import { ageColor, ageLabel, allDayCounts, eventsOf, liveTickets, openTickets, statsSince } from './tickets';

const paid = () => ({ isPaid: true, voided: false });

const k = kiosk('yogya', 'bsd');
const kitchen = terminalOf(k, 'kitchen', 'KITCHEN-GEPREK');
const at = (min: number) => new Date(Date.parse('2026-01-20T08:00:00.000Z') + min * 60_000).toISOString();

describe('kitchen tickets', () => {
  it('ages from green to amber to red on the brand thresholds', () => {
    const now = Date.parse(at(0));
    expect(ageColor(at(-4), now)).toBe('green');
    expect(ageColor(at(-6), now)).toBe('amber');
    expect(ageColor(at(-11), now)).toBe('red');
    expect(ageColor(at(-3), now, 2, 3)).toBe('red');
    expect(ageLabel(at(-2.5), now)).toBe('2:30');
  });

  it('keeps open tickets oldest first, drops served ones, and counts what is still to make', () => {
    const a = order(k, { created_at: at(0), number: 'A1-0001' });
    const b = order(k, { created_at: at(1), number: 'A1-0002' });
    const c = order(k, { created_at: at(2), number: 'A1-0003' });
    const events = {
      [a._id]: [{ ...ticketEvent(kitchen, a._id, 'ready'), created_at: at(5) }],
      [b._id]: [{ ...ticketEvent(kitchen, b._id, 'served'), created_at: at(6) }],
    };
    const tickets = openTickets([c, b, a], events, paid);
    expect(tickets.map((t) => [t.order.number, t.status])).toEqual([
      ['A1-0001', 'ready'],
      ['A1-0003', 'new'],
    ]);
    expect(allDayCounts(tickets)).toEqual([
      { name: 'Ayam Geprek Original', qty: 2 },
      { name: 'Es Teh Manis', qty: 1 },
    ]);
    expect(statsSince([a, b, c], events, at(0))).toEqual({ done: 1, avgPrepMs: 5 * 60_000 });
  });

  it("ignores status events from another brand's kitchen or for another order", () => {
    const a = order(k, { created_at: at(0), number: 'A1-0001' });
    const strangerKitchen = terminalOf(kiosk('yogya', 'bsd', 'NASGORENG', 'KIOSK-NASGR-01'), 'kitchen', 'KITCHEN-NASGR');
    const events = {
      [a._id]: [
        { ...ticketEvent(strangerKitchen, a._id, 'served'), created_at: at(3) },
        { ...ticketEvent(kitchen, 'order:other', 'ready'), created_at: at(4) },
        { ...ticketEvent(terminalOf(kiosk('yogya', 'plaza'), 'kitchen', 'KITCHEN-GEPREK'), a._id, 'ready'), created_at: at(4) },
      ],
    };
    expect(openTickets([a], events, paid).map((t) => t.status)).toEqual(['new']);
    expect(eventsOf(a, events)).toEqual([]);
    expect(statsSince([a], events, at(0))).toEqual({ done: 0, avgPrepMs: null });
  });

  it('marks unpaid tickets, or holds them back until paid when the store cooks on payment', () => {
    const unpaid = order(k, { created_at: at(0), number: 'A1-0001' });
    const started = order(k, { created_at: at(1), number: 'A1-0002' });
    const settled = order(k, { created_at: at(2), number: 'A1-0003' });
    const events = { [started._id]: [{ ...ticketEvent(kitchen, started._id, 'preparing'), created_at: at(3) }] };
    const money = (o: { _id: string }) => ({ isPaid: o._id === settled._id, voided: false });
    expect(openTickets([unpaid, started, settled], events, money).map((t) => [t.order.number, t.paid])).toEqual([
      ['A1-0001', false],
      ['A1-0002', false],
      ['A1-0003', true],
    ]);
    // Cook when paid: the unpaid order waits; one the kitchen already started stays on screen.
    expect(openTickets([unpaid, started, settled], events, money, 'when_paid').map((t) => t.order.number)).toEqual(['A1-0002', 'A1-0003']);
  });

  it('turns a voided order into a void ticket until the cook acknowledges it, and never counts it', () => {
    const a = order(k, { created_at: at(0), number: 'A1-0001' });
    const b = order(k, { created_at: at(1), number: 'A1-0002' });
    const voidedA = (o: { _id: string }) => ({ isPaid: false, voided: o._id === a._id });
    const cooking = { [a._id]: [{ ...ticketEvent(kitchen, a._id, 'preparing'), created_at: at(2) }] };
    const tickets = openTickets([a, b], cooking, voidedA);
    expect(tickets.map((t) => [t.order.number, t.voided, t.status])).toEqual([
      ['A1-0001', true, 'preparing'],
      ['A1-0002', false, 'new'],
    ]);
    expect(liveTickets(tickets).map((t) => t.order.number)).toEqual(['A1-0002']);
    expect(allDayCounts(tickets).reduce((s, c) => s + c.qty, 0)).toBe(b.items.reduce((s, i) => s + i.qty, 0));
    const seen = { [a._id]: [...cooking[a._id]!, { ...ticketEvent(kitchen, a._id, 'served'), created_at: at(3) }] };
    expect(openTickets([a, b], seen, voidedA).map((t) => t.order.number)).toEqual(['A1-0002']);
    // Cook when paid: an unpaid order voided before the kitchen saw it shows nothing.
    expect(openTickets([a, b], {}, voidedA, 'when_paid')).toEqual([]);
  });
});
