import { validateUsers } from '../../lib/authority/users';
import type { UserCtx } from '../../lib/principal';

export default function (newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  validateUsers(newDoc, oldDoc, userCtx);
}
