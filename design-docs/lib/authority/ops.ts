// Who may write what into a store's operations ledger. Orders, payments, voids, refunds and
// kitchen events are append-only facts written by a terminal as itself. At central, what the
// store's replication account carries is checked by the same rules, applied to the writer the
// document names (its terminal, terminal_type and brand), since central cannot see who wrote
// it at the store.
import type { TerminalType } from '../names';
import {
  administersStore,
  connectsPayments,
  principalOf,
  replicatesStore,
  terminalOfStore,
  type TerminalIdentity,
  type UserCtx,
} from '../principal';
import { structureErrors } from '../structure';
import { forbid, live, requireLogin, requireStructure, requireType } from './errors';
import { RELAYED_TIME, requireTimes, TERMINAL_TIME } from './time';

/** A cashier's drawer: opened with a float, cash moved in and out, closed with a blind count. */
const SHIFT_TYPES = ['shift_open', 'cash_movement', 'shift_close'];
const OPS_TYPES = ['order', 'payment', 'payment_request', 'payment_update', 'void', 'refund', 'ticket_event', 'review', ...SHIFT_TYPES];
const IMMUTABLE = ['order', 'payment', 'payment_request', 'payment_update', 'void', 'refund', 'ticket_event', ...SHIFT_TYPES];
/** Facts about an order, which name the order's brand and store. */
const ABOUT_ORDER = ['payment', 'payment_request', 'void', 'refund', 'ticket_event'];
/** What the payment connector writes: the provider's answers, and the payments it settled. Nothing else. */
const CONNECTOR_TYPES = ['payment', 'payment_update'];

type Doc = Record<string, unknown>;

const TERMINAL_RULES: Record<string, (t: TerminalIdentity, doc: Doc) => void> = {
  order(t, doc) {
    if (t.type === 'kitchen') forbid('A kitchen display cannot create orders.');
    if (doc.channel !== t.type) forbid(`Terminal ${t.code} is a ${t.type}: its orders must have channel "${t.type}".`);
  },
  payment(t) {
    // The customer's screen confirms nothing: the provider (through the connector) or a cashier does.
    if (t.type === 'kiosk')
      forbid(
        'A kiosk cannot confirm a payment: QRIS is confirmed by the payment provider through the connector, cash and card by a cashier.',
      );
    if (t.type !== 'cashier') forbid(`A ${t.type} cannot take payments: a cashier does.`);
  },
  payment_request(t) {
    if (t.type !== 'kiosk' && t.type !== 'cashier') forbid(`A ${t.type} cannot ask for a payment: kiosks and cashiers do.`);
  },
  payment_update() {
    forbid('Only the payment connector writes what the payment provider answered.');
  },
  void(t) {
    if (t.type !== 'cashier') forbid('Only a cashier can void an order.');
  },
  refund(t) {
    if (t.type !== 'cashier') forbid('Only a cashier can refund an order.');
  },
  ticket_event(t, doc) {
    if (t.type === 'kitchen') return;
    if (t.type === 'kiosk') forbid('A kiosk cannot change kitchen status.');
    if (doc.status !== 'served') forbid(`A ${t.type} can only mark a ticket served; preparing and ready are set by the kitchen display.`);
  },
  review() {},
  shift_open: cashierDrawer,
  cash_movement: cashierDrawer,
  shift_close: cashierDrawer,
};

function cashierDrawer(t: TerminalIdentity): void {
  if (t.type !== 'cashier') forbid(`A ${t.type} has no cash drawer: only a cashier opens, moves cash in and out of, and closes a shift.`);
}

/** The writer a relayed document names; structure has checked that each field is well formed. */
function claimedWriter(doc: Doc, tenant: string, store: string): TerminalIdentity {
  return { tenant, store, code: String(doc.terminal), type: doc.terminal_type as TerminalType, brand: String(doc.brand) };
}

/** The connector writes only its own kinds of fact, as the connector (structure checks their shape and ids). */
function requireConnectorMayWrite(doc: Doc): void {
  if (CONNECTOR_TYPES.indexOf(String(doc.type)) === -1 || doc.writer !== 'connector')
    forbid(
      `The payment connector writes only payments it settled and payment updates, as writer "connector"; not this ${String(doc.type)}.`,
    );
}

/** The rules every terminal fact obeys, whoever carries it: written as itself, by a type that may, on its own brand's orders. */
function requireTerminalMayWrite(t: TerminalIdentity, doc: Doc): void {
  if (doc.writer !== undefined)
    forbid(`Terminal ${t.code} writes as itself: only the payment connector writes as "${String(doc.writer)}".`);
  if (doc.terminal !== t.code || doc.brand !== t.brand || doc.terminal_type !== t.type)
    forbid(
      `Terminal ${t.code} (${t.type}, brand ${t.brand}) can only write as itself, not as ${String(doc.terminal)} (${String(doc.terminal_type)}, brand ${String(doc.brand)}).`,
    );
  if (t.type === 'board') forbid('A ready board only shows orders; it writes nothing.');
  const rule = TERMINAL_RULES[String(doc.type)];
  if (rule) rule(t, doc);
  // Every terminal holds one brand role: it acts on its own brand's orders only (a cashier too; see docs/security.md).
  if (ABOUT_ORDER.indexOf(String(doc.type)) !== -1 && doc.order_brand !== t.brand)
    forbid(
      `Terminal ${t.code} of brand ${t.brand} can act only on orders of brand ${t.brand}; this ${String(doc.type)} is for an order of ${String(doc.order_brand)}.`,
    );
}

export function validateOps(newDoc: Doc, oldDoc: Doc | null, userCtx: UserCtx): void {
  const p = principalOf(userCtx);
  if (!p.name && !p.serverAdmin) requireLogin('write to the store');
  const old = live(oldDoc);
  const subject = newDoc._deleted ? old : newDoc;
  if (!subject) return;
  const tenant = String(subject.tenant ?? '');
  const store = String(subject.store ?? '');
  const relayed = replicatesStore(p, tenant, store) && (!old || (old.tenant === tenant && old.store === store));
  if (newDoc._deleted) {
    if (p.serverAdmin) return;
    forbid(
      `${String(subject.type)} documents cannot be deleted. To correct an order, write a void or refund that references it, with a reason.`,
    );
  }
  if (old) {
    if (IMMUTABLE.indexOf(String(old.type)) !== -1 && !p.serverAdmin)
      forbid(
        `${String(old.type)} ${String(old._id)} is immutable after creation: its items, prices and totals cannot change. Write a void or refund that references it instead.`,
      );
    if (old.tenant !== tenant || old.store !== store || old.type !== newDoc.type)
      forbid('A document cannot change its tenant, store or type.');
  }
  requireType(newDoc, OPS_TYPES, 'store operations');
  requireStructure(newDoc, structureErrors(newDoc));
  if (p.serverAdmin) return; // the store agent and provisioning
  if (relayed) {
    if (newDoc.writer !== undefined) requireConnectorMayWrite(newDoc);
    else requireTerminalMayWrite(claimedWriter(newDoc, tenant, store), newDoc);
    requireTimes(newDoc, RELAYED_TIME);
    return;
  }
  if (administersStore(p, tenant, store))
    forbid(
      `Store and HQ administrators do not write a terminal's facts: this ${String(newDoc.type)} claims terminal ${String(newDoc.terminal)}. Orders, payments and kitchen events are written by the terminal itself, voids and refunds by a cashier.`,
    );
  if (connectsPayments(p, tenant, store)) {
    requireConnectorMayWrite(newDoc);
    requireTimes(newDoc, TERMINAL_TIME);
    return;
  }
  const t = terminalOfStore(p, tenant, store);
  if (!t) forbid(`Only terminals of store ${tenant}/${store} can write its orders.`);
  requireTerminalMayWrite(t, newDoc);
  requireTimes(newDoc, TERMINAL_TIME);
}
