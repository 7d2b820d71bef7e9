import { validateHq } from '../../lib/authority/hq';
import type { UserCtx } from '../../lib/principal';

export default function (newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  validateHq(newDoc, oldDoc, userCtx);
}
