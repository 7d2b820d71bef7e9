import { validateCatalog } from '../../lib/authority/catalog';
import type { UserCtx } from '../../lib/principal';

export default function (newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  validateCatalog(newDoc, oldDoc, userCtx);
}
