import { validateControl } from '../../lib/authority/control';
import type { UserCtx } from '../../lib/principal';

export default function (newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  validateControl(newDoc, oldDoc, userCtx);
}
