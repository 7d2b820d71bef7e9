// Extra rules for _users on top of CouchDB's own: accounts come only from provisioning, and a
// terminal may change nothing about itself but its password (which is how pairing binds a device).
import { principalOf, type UserCtx } from '../principal';
import { forbid } from './errors';

const PASSWORD_FIELDS = [
  '_rev',
  '_revisions',
  'password',
  'password_scheme',
  'pbkdf2_prf',
  'iterations',
  'derived_key',
  'salt',
  'password_sha',
];

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  if (ka.join('\u0000') !== kb.join('\u0000')) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function withoutPassword(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(doc)) if (PASSWORD_FIELDS.indexOf(k) === -1) out[k] = doc[k];
  return out;
}

/** True when `newDoc` differs from `oldDoc` in nothing but password fields: the only change a user may make. */
export function onlyPasswordChanged(newDoc: Record<string, unknown>, oldDoc: Record<string, unknown>): boolean {
  return same(withoutPassword(newDoc), withoutPassword(oldDoc));
}

export function validateUsers(newDoc: Record<string, unknown>, oldDoc: Record<string, unknown> | null, userCtx: UserCtx): void {
  const p = principalOf(userCtx);
  if (p.serverAdmin) return;
  if (!oldDoc || oldDoc._deleted) forbid('Accounts are created by provisioning (scripts/provision-store), not by signing up.');
  if (newDoc._deleted) forbid('Only a server administrator can delete an account.');
  if (!onlyPasswordChanged(newDoc, oldDoc)) forbid('You can change only your own password, nothing else about your account.');
}
