// In _users CouchDB lets a user read and change only their own document, and of it only
// the password. PouchDB Server lets them change their own roles too (found by the
// hostile-client suite: a kiosk could make itself HQ) and answers 500 for other users'
// documents, so the gateway enforces CouchDB's rules itself for every non-admin request.
import type { IncomingMessage } from 'node:http';
import { onlyPasswordChanged } from '../../design-docs/lib/authority/users';
import { userDocId } from '../../design-docs/lib/names';
import type { SessionInfo } from './session';

export const MAX_USER_DOC_BYTES = 64 * 1024;

export type GuardVerdict =
  { allow: true; body?: Buffer } | { allow: false; status: 400 | 401 | 403 | 404 | 413; error: string; reason: string };

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Uint8Array).length;
    if (size > limit) return null;
    chunks.push(c as Uint8Array);
  }
  return Buffer.concat(chunks);
}

const DENY = 'Accounts are managed by provisioning: you may only change your own password.';

function deny(status: 400 | 401 | 403 | 404 | 413, reason: string): GuardVerdict {
  const error = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 413: 'too_large' }[status];
  return { allow: false, status, error, reason };
}

export async function guardUsers(
  req: IncomingMessage,
  segments: string[],
  session: SessionInfo,
  readCurrent: (id: string) => Promise<Record<string, unknown> | null>,
): Promise<GuardVerdict> {
  const method = req.method ?? 'GET';
  const id = segments.length === 2 ? decodeURIComponent(segments[1]!) : '';
  const own = session.name !== null && id === userDocId(session.name);
  if (method === 'GET' || method === 'HEAD') {
    if (own) return { allow: true };
    // Credentials that CouchDB did not accept: it answers 401 before anything else.
    if (!session.name && req.headers.authorization) return deny(401, 'Name or password is incorrect.');
    if (id && !id.startsWith('_')) return deny(404, 'missing');
    return deny(session.name ? 403 : 401, 'Only server administrators can list accounts.');
  }
  if (!session.name) return deny(401, 'Log in to change your password.');
  if (method !== 'PUT' || !own) return deny(403, DENY);
  const body = await readBody(req, MAX_USER_DOC_BYTES);
  if (!body) return deny(413, 'An account document is at most 64 KB.');
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return deny(400, 'The account document is not valid JSON.');
  }
  const current = await readCurrent(id);
  if (!current) return deny(403, DENY);
  const sorted = (v: unknown) => (Array.isArray(v) ? [...(v as string[])].sort() : v);
  const proposed = { ...doc, roles: sorted(doc.roles) };
  const stored = { ...current, roles: sorted(current.roles) };
  if (!onlyPasswordChanged(proposed, stored)) return deny(403, DENY);
  return { allow: true, body };
}
