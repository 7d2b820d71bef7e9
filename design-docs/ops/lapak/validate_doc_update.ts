import { validateOps } from '../../lib/authority/ops';
import type { UserCtx } from '../../lib/principal';

export default function (newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  validateOps(newDoc, oldDoc, userCtx);
}
