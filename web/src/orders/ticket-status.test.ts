import { describe, expect, it } from 'vitest';
import { kitchenStatus } from './ticket-status';

const ev = (status: 'preparing' | 'ready' | 'served' | 'recalled', at: string, id = at) => ({
  status,
  created_at: `2026-01-20T08:${at}:00.000Z`,
  _id: `ticket_event:${id}`,
});

describe('kitchen status from events', () => {
  it('is new without events and follows bumps in time order, whatever order they arrive in', () => {
    expect(kitchenStatus([])).toBe('new');
    expect(kitchenStatus([ev('ready', '05'), ev('preparing', '01')])).toBe('ready');
  });
  it('undoes the latest bump on recall', () => {
    expect(kitchenStatus([ev('preparing', '01'), ev('ready', '02'), ev('recalled', '03')])).toBe('preparing');
  });
  it('converges when two displays bump the same ticket', () => {
    const a = [ev('preparing', '01', 'a1'), ev('ready', '04', 'a2')];
    const b = [ev('preparing', '02', 'b1')];
    expect(kitchenStatus([...a, ...b])).toBe(kitchenStatus([...b, ...a]));
    expect(kitchenStatus([...a, ...b])).toBe('ready');
  });
});
