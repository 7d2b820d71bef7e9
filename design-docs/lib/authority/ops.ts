// Who may write what into a store's operations ledger. Orders, payments, voids, refunds and
// kitchen events are append-only facts written by a terminal as itself.
import { administersStore, principalOf, replicatesStore, terminalOfStore, type TerminalIdentity, type UserCtx } from '../principal';
import { structureErrors } from '../structure';
import { forbid, live, requireLogin, requireStructure, requireType } from './errors';

const OPS_TYPES = ['order', 'payment', 'void', 'refund', 'ticket_event', 'review'];
const IMMUTABLE = ['order', 'payment', 'void', 'refund', 'ticket_event'];

type Doc = Record<string, unknown>;

const TERMINAL_RULES: Record<string, (t: TerminalIdentity, doc: Doc) => void> = {
  order(t, doc) {
    if (t.type === 'kitchen') forbid('A kitchen display cannot create orders.');
    if (doc.channel !== t.type) forbid(`Terminal ${t.code} is a ${t.type}: its orders must have channel "${t.type}".`);
  },
  payment(t, doc) {
    if (t.type === 'kitchen') forbid('A kitchen display cannot change money: payments are taken at a kiosk or cashier.');
    if (t.type === 'kiosk' && doc.method === 'cash') forbid('A kiosk cannot take cash: the customer pays cash at the cashier.');
  },
  void(t) {
    if (t.type !== 'cashier') forbid('Only a cashier (or a store administrator) can void an order.');
  },
  refund(t) {
    if (t.type !== 'cashier') forbid('Only a cashier (or a store administrator) can refund an order.');
  },
  ticket_event(t, doc) {
    if (t.type === 'kitchen') return;
    if (t.type === 'kiosk') forbid('A kiosk cannot change kitchen status.');
    if (doc.status !== 'served') forbid(`A ${t.type} can only mark a ticket served; preparing and ready are set by the kitchen display.`);
  },
  review() {},
};

export function validateOps(newDoc: Doc, oldDoc: Doc | null, userCtx: UserCtx): void {
  const p = principalOf(userCtx);
  if (!p.name && !p.serverAdmin) requireLogin('write to the store');
  const old = live(oldDoc);
  const subject = newDoc._deleted ? old : newDoc;
  if (!subject) return;
  const tenant = String(subject.tenant ?? '');
  const store = String(subject.store ?? '');
  // The replication account carries documents already validated at the store where they were written.
  if (replicatesStore(p, tenant, store) && (!old || (old.tenant === tenant && old.store === store))) {
    if (!newDoc._deleted) requireStructure(newDoc, structureErrors(newDoc));
    return;
  }
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
  if (p.serverAdmin || administersStore(p, tenant, store)) return;
  const t = terminalOfStore(p, tenant, store);
  if (!t) forbid(`Only terminals of store ${tenant}/${store} can write its orders.`);
  if (newDoc.terminal !== t.code || newDoc.brand !== t.brand)
    forbid(
      `Terminal ${t.code} of brand ${t.brand} can only write as itself, not as ${String(newDoc.terminal)} of ${String(newDoc.brand)}.`,
    );
  if (t.type === 'board') forbid('A ready board only shows orders; it writes nothing.');
  const rule = TERMINAL_RULES[String(newDoc.type)];
  if (rule) rule(t, newDoc);
}
