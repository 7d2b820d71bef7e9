// Who may change a store's registry (store, brands, terminals) and device bindings.
import { role } from '../names';
import { administersStore, has, principalOf, replicatesStore, terminalOfStore, type UserCtx } from '../principal';
import { structureErrors } from '../structure';
import { forbid, live, requireLogin, requireStructure, requireType } from './errors';
import { ADMIN_TIME, RELAYED_TIME, requireTimes, TERMINAL_TIME } from './time';

const DIRECTORY_TYPES = ['store', 'brand', 'terminal', 'binding', 'heartbeat', 'staff'];

export function validateDirectory(newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  const p = principalOf(userCtx);
  if (!p.name && !p.serverAdmin) requireLogin('change the store registry');
  const old = live(oldDoc);
  const subject = newDoc._deleted ? old : newDoc;
  if (!subject) return; // deleting what is already gone changes nothing
  const tenant = String(subject.tenant ?? '');
  const store = String(subject.store ?? '');
  const relayed = replicatesStore(p, tenant, store);
  const admin = administersStore(p, tenant, store);

  if (!newDoc._deleted) {
    requireType(newDoc, DIRECTORY_TYPES, 'store directory');
    requireStructure(newDoc, structureErrors(newDoc));
    if (newDoc.type === 'store' && newDoc._id !== 'store') forbid('The store document of a store directory has the id "store".');
    if (newDoc.type === 'brand' && newDoc.store === undefined) forbid('A brand in the store directory needs the "store" it is enabled at.');
    if (old && (old.tenant !== newDoc.tenant || old.store !== newDoc.store || old.type !== newDoc.type))
      forbid('A directory document cannot change its tenant, store or type.');
    requireTimes(
      newDoc,
      p.serverAdmin ? ADMIN_TIME : relayed ? RELAYED_TIME : terminalOfStore(p, tenant, store) ? TERMINAL_TIME : ADMIN_TIME,
    );
  }
  // The store server's admin (the unassign flow: scripts/lib/unassign.ts, the store agent) and,
  // at central, the store's replication account carrying what happened at the store.
  if (p.serverAdmin || relayed) return;
  if (admin && subject.type !== 'binding') return;

  if (subject.type === 'heartbeat') {
    if (has(p, role.relay(tenant, store))) return;
    const t = terminalOfStore(p, tenant, store);
    if (!newDoc._deleted && t && t.code === newDoc.terminal) return;
    forbid('A heartbeat is written by its own terminal or by the store relay.');
  }
  if (subject.type !== 'binding')
    forbid('Only store or HQ administrators can change the store registry (store, brands, terminals, staff and their PINs).');
  if (newDoc._deleted || admin)
    forbid(
      `A device binding changes only through unassigning (npm run unassign-terminal at the store server, or HQ's unassign request): terminal ${String(subject.terminal)} keeps its binding.`,
    );

  const t = terminalOfStore(p, tenant, store);
  if (!t || t.code !== newDoc.terminal) forbid('A terminal can register only its own device binding.');
  if (old && old.device_id !== newDoc.device_id)
    forbid(
      `Terminal ${t.code} is already bound to device ${String(old.device_id)} since ${String(old.assigned_at)}; unassign it first (npm run unassign-terminal, or HQ's unassign request).`,
    );
}
