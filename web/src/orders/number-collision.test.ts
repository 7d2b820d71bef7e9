import { describe, expect, it } from 'vitest';
import { order, kiosk } from '../../../design-docs/testing/fixtures';
import { collidingOrderIds, collisionReviewId, numberCollisions, orderTag } from '../../../design-docs/lib/number-collision';

describe('order number collisions (seed scenario 4)', () => {
  const k = kiosk('yogya', 'bsd');
  const utcDay = (iso: string) => iso.slice(0, 10);
  const first = order(k, { _id: 'order:0190a000-0000-7000-8000-00000000aaaa', number: 'K1-0042', created_at: '2026-01-20T03:00:00.000Z' });
  const again = order(k, { _id: 'order:0190a000-0001-7000-8000-00000000bbbb', number: 'K1-0042', created_at: '2026-01-20T04:00:00.000Z' });

  it('flags the later of two orders with one number on one day, naming both', () => {
    const found = numberCollisions([again, first], () => false, utcDay);
    expect(found).toHaveLength(1);
    expect(found[0]!.order._id).toBe(again._id);
    expect(found[0]!.first._id).toBe(first._id);
    expect(found[0]!.reviewId).toBe('review:nc-0190a000-0001-7000-8000-00000000bbbb');
    expect(found[0]!.detail).toContain(first._id);
    expect(found[0]!.detail).toContain(again._id);
    expect(found[0]!.detail.length).toBeLessThanOrEqual(400);
  });

  it('derives the same review id on every device, whatever order it saw them in', () => {
    const a = numberCollisions([first, again], () => false, utcDay).map((f) => f.reviewId);
    const b = numberCollisions([again, first], () => false, utcDay).map((f) => f.reviewId);
    expect(a).toEqual(b);
    expect(collisionReviewId(again)).toBe(a[0]);
  });

  it('flags each later order of three sharing a number against the first', () => {
    const third = order(k, {
      _id: 'order:0190a000-0002-7000-8000-00000000cccc',
      number: 'K1-0042',
      created_at: '2026-01-20T05:00:00.000Z',
    });
    const found = numberCollisions([third, again, first], () => false, utcDay);
    expect(found.map((f) => [f.order._id, f.first._id])).toEqual([
      [again._id, first._id],
      [third._id, first._id],
    ]);
  });

  it('leaves alone different numbers, other days, other stores and collisions already flagged', () => {
    const otherNumber = { ...again, number: 'K1-0043' };
    const nextDay = { ...again, created_at: '2026-01-21T04:00:00.000Z' };
    const otherStore = { ...again, store: 'east' };
    expect(numberCollisions([first, otherNumber], () => false, utcDay)).toEqual([]);
    expect(numberCollisions([first, nextDay], () => false, utcDay)).toEqual([]);
    expect(numberCollisions([first, otherStore], () => false, utcDay)).toEqual([]);
    expect(numberCollisions([first, again], (id) => id === collisionReviewId(again), utcDay)).toEqual([]);
  });

  it('tells screens which orders share a number, and a tag to tell them apart', () => {
    const other = order(k, { number: 'K1-0050', created_at: '2026-01-20T03:30:00.000Z' });
    expect([...collidingOrderIds([first, other, again], utcDay)].sort()).toEqual([first._id, again._id].sort());
    expect(orderTag(first)).toBe('AAAA');
    expect(orderTag(again)).not.toBe(orderTag(first));
  });
});
