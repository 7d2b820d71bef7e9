// Who may write what into a store's control database: HQ of the tenant and the store's
// managers ask (terminal requests), the store agent (the store server's admin) answers and
// reports (results, replication status, integrity alerts, reconcile reports), and the store's replication account carries all of
// it between the store server and central. Pairing codes travel here, so _security keeps
// terminals and the anonymous out; this function keeps everyone to their own part.
import { administersStore, principalOf, replicatesStore, type UserCtx } from '../principal';
import { structureErrors } from '../structure';
import { forbid, live, requireLogin, requireStructure, requireType } from './errors';

const CONTROL_TYPES = ['terminal_request', 'terminal_request_result', 'replication_status', 'integrity_alert', 'reconcile_report'];

type Doc = Record<string, unknown>;

export function validateControl(newDoc: Doc, oldDoc: Doc | null, userCtx: UserCtx): void {
  const p = principalOf(userCtx);
  if (!p.name && !p.serverAdmin) requireLogin('send requests to the store');
  const old = live(oldDoc);
  const subject = newDoc._deleted ? old : newDoc;
  if (!subject) return;
  const tenant = String(subject.tenant ?? '');
  const store = String(subject.store ?? '');
  if (!newDoc._deleted) {
    requireType(newDoc, CONTROL_TYPES, 'store control');
    requireStructure(newDoc, structureErrors(newDoc));
  }
  if (old && (old.tenant !== subject.tenant || old.store !== subject.store || old.type !== subject.type))
    forbid('A control document cannot change its tenant, store or type.');
  if (p.serverAdmin) return;
  // The replication account carries documents already validated on the server where they were written.
  if (replicatesStore(p, tenant, store)) return;
  if (newDoc._deleted) forbid('Control documents are a record of what was asked and done: they cannot be deleted.');

  if (subject.type !== 'terminal_request')
    forbid(`${String(subject.type)} documents are written by the store agent only; send a terminal_request instead.`);
  if (!administersStore(p, tenant, store))
    forbid(`Only HQ of tenant "${tenant}" or a manager of store ${tenant}/${store} can send requests to that store.`);
  if (old) forbid(`Request ${String(old._id)} was already sent and cannot be changed; send a new request instead.`);
  if (newDoc.requested_by !== p.name)
    forbid(`requested_by must be your own user name (${String(p.name)}), not ${JSON.stringify(newDoc.requested_by)}.`);
}
