// A ticket's kitchen status is derived from its status events, never stored on the order:
// displays that were cut off from each other both append events, and every replica folds
// them in the same order into the same state.
import type { TicketEvent, TicketStatus } from '../../../design-docs/lib/types';

export type KitchenStatus = 'new' | Exclude<TicketStatus, 'recalled'>;

export function sortEvents<T extends Pick<TicketEvent, 'created_at' | '_id'>>(events: T[]): T[] {
  return [...events].sort((a, b) => (a.created_at === b.created_at ? (a._id < b._id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1));
}

/** Folds events in time order; `recalled` undoes the latest bump. */
export function kitchenStatus(events: Pick<TicketEvent, 'created_at' | '_id' | 'status'>[]): KitchenStatus {
  const stack: KitchenStatus[] = ['new'];
  for (const e of sortEvents(events)) {
    if (e.status === 'recalled') {
      if (stack.length > 1) stack.pop();
    } else if (stack[stack.length - 1] !== e.status) stack.push(e.status);
  }
  return stack[stack.length - 1]!;
}
