// Every bound Lapak puts on what a document may hold, in one place. The structure validator
// (client-safe: the app refuses before saving) and the server-side authority rules read
// these; docs/security.md points here. Change a limit here and both sides follow.

/** Money, in whole rupiah. */
export const MONEY = {
  /** One item's unit price before modifiers. At least 1: Lapak has no free items; a giveaway is a promotion. */
  unitPriceMin: 1,
  unitPriceMax: 10_000_000,
  /** One modifier option's surcharge (0 for "no extra"). */
  modifierPriceMax: 1_000_000,
  /** A catalog product's price (the catalog may list a product at 0 while it is being set up; orders may not). */
  productPriceMax: 10_000_000,
  /** An order's total, and so the most one payment or refund can be for. */
  orderTotalMax: 100_000_000,
  /** Cash handed over for one payment. */
  tenderedMax: 100_000_000,
} as const;

/** Counts. */
export const COUNTS = {
  /** The cart caps a line at 999 too. */
  qtyMax: 999,
  itemsPerOrder: 50,
  modifiersPerItem: 20,
  promotionsPerOrder: 10,
  modifierGroupsPerProduct: 10,
  optionsPerModifierGroup: 30,
} as const;

/** String lengths, in characters. */
export const TEXT = {
  name: 80,
  modifierName: 60,
  customerName: 40,
  itemNote: 200,
  reason: 200,
  reasonMin: 3,
  reviewDetail: 400,
  paymentReference: 80,
  deviceField: 200,
} as const;

/** The whole document as JSON (without `_revisions`, `_attachments` and other `_` metadata but `_id`), in characters. */
export const DOC_SIZE: Record<string, number> = {
  order: 64 * 1024,
  payment: 4 * 1024,
  payment_request: 4 * 1024,
  payment_update: 4 * 1024,
  void: 4 * 1024,
  refund: 8 * 1024,
  shift_open: 4 * 1024,
  cash_movement: 4 * 1024,
  shift_close: 4 * 1024,
  staff: 4 * 1024,
  ticket_event: 4 * 1024,
  review: 4 * 1024,
  binding: 4 * 1024,
  heartbeat: 2 * 1024,
  terminal: 4 * 1024,
  store: 4 * 1024,
  brand: 4 * 1024,
  category: 4 * 1024,
  product: 64 * 1024,
  promotion: 32 * 1024,
  terminal_request: 4 * 1024,
  terminal_request_result: 8 * 1024,
  replication_status: 8 * 1024,
};

/** A binding's `device` object: what the pairing screen shows about the device. */
export const DEVICE_INFO = {
  fields: ['hostname', 'user_agent', 'platform', 'screen'],
  /** The whole object as JSON, in characters. */
  maxJson: 1024,
} as const;

/** Times, checked by the server against its own clock (server authority, not structure). */
export const TIME = {
  /** A written-at time may be this far ahead of the server's clock (clocks drift; the app corrects from the Date header). */
  futureSkewMs: 10 * 60 * 1000,
  /** At central, documents relayed by a store's replication account: the store's clock may itself be off by the skew. */
  relayedFutureSkewMs: 20 * 60 * 1000,
  /**
   * A terminal may write a fact dated at most this long ago: a device that was cut off from
   * its store server keeps its orders and pushes them later, but not a year later. Not
   * applied to what the replication account carries to central, which may lag behind a long outage.
   */
  terminalPastMs: 30 * 24 * 60 * 60 * 1000,
} as const;

/** The fields of each document type that say when it was written: none may lie in the future. */
export const WRITTEN_AT: Record<string, string[]> = {
  order: ['created_at'],
  payment: ['created_at'],
  payment_request: ['created_at'],
  payment_update: ['created_at'],
  void: ['created_at'],
  refund: ['created_at'],
  shift_open: ['created_at'],
  cash_movement: ['created_at'],
  shift_close: ['created_at'],
  ticket_event: ['created_at'],
  review: ['created_at'],
  binding: ['assigned_at'],
  heartbeat: ['last_seen'],
};
