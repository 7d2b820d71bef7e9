// Who may change a tenant's catalog: that tenant's HQ (and server admins). Terminals only read it.
import { isHq, principalOf, type UserCtx } from '../principal';
import { structureErrors } from '../structure';
import { forbid, live, requireLogin, requireStructure, requireType } from './errors';

const CATALOG_TYPES = ['brand', 'category', 'product', 'promotion'];

export function validateCatalog(newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  const p = principalOf(userCtx);
  if (!p.name && !p.serverAdmin) requireLogin('change the catalog');
  const old = live(oldDoc);
  const tenant = String((newDoc._deleted ? old?.tenant : newDoc.tenant) ?? '');
  if (!isHq(p, tenant)) forbid(`Only HQ of tenant "${tenant}" can change its catalog, prices and promotions; terminals can only read it.`);
  if (newDoc._deleted) return;
  requireType(newDoc, CATALOG_TYPES, 'catalog');
  if (newDoc.store !== undefined) forbid('Catalog documents belong to the tenant, not to a store: remove the "store" field.');
  requireStructure(newDoc, structureErrors(newDoc));
  if (old && old.tenant !== newDoc.tenant) forbid('A catalog document cannot move to another tenant.');
}
