import { describe, expect, it } from 'vitest';
import { kiosk, order, ticketEvent, terminalOf } from '../../../design-docs/testing/fixtures';
import { ageColor, ageLabel, allDayCounts, eventsOf, openTickets, statsSince } from './tickets';

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

  it('keeps open tickets oldest first, drops served and voided ones, and counts what is still to make', () => {
    const a = order(k, { created_at: at(0), number: 'A1-0001' });
    const b = order(k, { created_at: at(1), number: 'A1-0002' });
    const c = order(k, { created_at: at(2), number: 'A1-0003' });
    const events = {
      [a._id]: [{ ...ticketEvent(kitchen, a._id, 'ready'), created_at: at(5) }],
      [b._id]: [{ ...ticketEvent(kitchen, b._id, 'served'), created_at: at(6) }],
    };
    const tickets = openTickets([c, b, a], events, (o) => o._id === 'none');
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
    expect(openTickets([a], events, () => false).map((t) => t.status)).toEqual(['new']);
    expect(eventsOf(a, events)).toEqual([]);
    expect(statsSince([a], events, at(0))).toEqual({ done: 0, avgPrepMs: null });
  });
});
