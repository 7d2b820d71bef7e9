import { validateDirectory } from '../../lib/authority/directory';
import type { UserCtx } from '../../lib/principal';

export default function (newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  validateDirectory(newDoc, oldDoc, userCtx);
}
