// The public directory is a projection the store server's admin writes; nobody else writes it
// (its members are empty so that the anonymous can read it, and validate is what keeps them
// from writing).
import { principalOf, type UserCtx } from '../principal';
import { forbid, requireLogin, requireType } from './errors';

const PUBLIC_TYPES = ['public_store', 'public_brand', 'public_terminal'];

export function validatePublic(newDoc: Record<string, unknown>, _oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  const p = principalOf(userCtx);
  if (!p.serverAdmin) {
    if (!p.name) requireLogin('change the public store directory (only the store server itself writes it)');
    forbid(
      'The public store directory is written only by the store server itself (provisioning and its agent), from the store directory; change the store directory instead.',
    );
  }
  requireType(newDoc, PUBLIC_TYPES, 'public store directory');
}
