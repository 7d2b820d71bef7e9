// In _users CouchDB lets a user read and change only their own document, and of it only
// the password. PouchDB Server lets them change their own roles too (found by the
// hostile-client suite: a kiosk could make itself HQ), so the gateway enforces CouchDB's
// rule itself for every non-admin request; the allowlist has already limited the caller to
// their own document (allowlist.ts, need "own-account").
import { onlyPasswordChanged } from '../../design-docs/lib/authority/users';

export type GuardVerdict = { allow: true; body?: Buffer } | { allow: false; status: 400 | 403; error: string; reason: string };

const DENY = 'Accounts are managed by provisioning: you may only change your own password.';

function deny(status: 400 | 403, reason: string): GuardVerdict {
  return { allow: false, status, error: status === 400 ? 'bad_request' : 'forbidden', reason };
}

export async function guardUsers(
  method: string,
  segments: string[],
  name: string | null,
  body: Buffer,
  readCurrent: (id: string) => Promise<Record<string, unknown> | null>,
): Promise<GuardVerdict> {
  if (method === 'GET' || method === 'HEAD') return { allow: true };
  if (method !== 'PUT' || !name) return deny(403, DENY);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return deny(400, 'The account document is not valid JSON.');
  }
  const current = await readCurrent(segments[1]!);
  if (!current) return deny(403, DENY);
  const sorted = (v: unknown) => (Array.isArray(v) ? [...(v as string[])].sort() : v);
  const proposed = { ...doc, roles: sorted(doc.roles) };
  const stored = { ...current, roles: sorted(current.roles) };
  if (!onlyPasswordChanged(proposed, stored)) return deny(403, DENY);
  return { allow: true, body };
}
