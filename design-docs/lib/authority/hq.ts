// Who may write the tenant's HQ database at central (its list of stores): that tenant's HQ
// and server admins (provisioning). The database admits only the tenant's HQ as members.
import { isHq, principalOf, type UserCtx } from '../principal';
import { structureErrors } from '../structure';
import { forbid, live, requireLogin, requireStructure, requireType } from './errors';

export function validateHq(newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  const p = principalOf(userCtx);
  if (!p.name && !p.serverAdmin) requireLogin('change the list of stores');
  const old = live(oldDoc);
  const subject = newDoc._deleted ? old : newDoc;
  if (!subject) return;
  const tenant = String(subject.tenant ?? '');
  if (!isHq(p, tenant)) forbid(`Only HQ of tenant "${tenant}" can change its list of stores.`);
  if (newDoc._deleted) return;
  requireType(newDoc, ['store'], 'HQ');
  if (typeof newDoc._id !== 'string' || newDoc._id.indexOf('store:') !== 0)
    forbid('A store in the HQ database has the id store:<store code>.');
  requireStructure(newDoc, structureErrors(newDoc));
  if (old && (old.tenant !== newDoc.tenant || old.store !== newDoc.store)) forbid('A store entry cannot move to another tenant or store.');
}
