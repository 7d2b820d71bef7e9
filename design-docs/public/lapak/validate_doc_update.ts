import { validatePublic } from '../../lib/authority/public';
import type { UserCtx } from '../../lib/principal';

export default function (newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  validatePublic(newDoc, oldDoc, userCtx);
}
