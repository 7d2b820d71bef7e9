// A ticket's kitchen status is derived from its status events, never stored on the order:
// displays that were cut off from each other both append events, and every replica folds
// them in the same order into the same state.
import type { TicketEvent, TicketStatus } from '../../../design-docs/lib/types';

export type KitchenStatus = 'new' | Exclude<TicketStatus, 'recalled'>;

export function sortEvents<T extends Pick<TicketEvent, 'created_at' | '_id'>>(events: T[]): T[] {
  return [...events].sort((a, b) => (a.created_at === b.created_at ? (a._id < b._id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1));
}

const ORDER: KitchenStatus[] = ['new', 'preparing', 'ready', 'served'];

/**
 * Folds events in time order. Status only moves forward (a display that did not yet know a
 * ticket was ready cannot send it back by starting it), except `recalled`, which steps back
 * one stage on purpose.
 */
export function kitchenStatus(events: Pick<TicketEvent, 'created_at' | '_id' | 'status'>[]): KitchenStatus {
  let stage = 0;
  for (const e of sortEvents(events)) stage = e.status === 'recalled' ? Math.max(0, stage - 1) : Math.max(stage, ORDER.indexOf(e.status));
  return ORDER[stage]!;
}
