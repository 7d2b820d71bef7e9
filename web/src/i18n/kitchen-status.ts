import type { KitchenStatus } from '../orders/ticket-status';
import type { MessageKey } from './messages';

/** How a ticket's kitchen status reads, on the kiosk, the cashier and the kitchen display alike. */
export const KITCHEN_STATUS_LABEL: Record<KitchenStatus, MessageKey> = {
  new: 'statusNew',
  preparing: 'statusPreparing',
  ready: 'statusReady',
  served: 'statusServed',
};
