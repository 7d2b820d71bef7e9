// Before writing anything: is each server there, are these admin credentials, and which
// kind of server is it (replication documents are written differently for each).
import type { CouchAdmin } from './couch-admin';
import { ProvisionError } from './steps';

export type ServerFlavor = 'couchdb' | 'pouchdb-server';

export async function checkAdmin(server: CouchAdmin): Promise<ServerFlavor> {
  const welcome = await server.request<Record<string, unknown>>('GET', '');
  const session = await server.request<{ userCtx?: { name: string | null; roles: string[] } }>('GET', '_session');
  if (session.status === 401 || !session.body.userCtx?.roles.includes('_admin'))
    throw new ProvisionError(
      `The admin credentials for the ${server.label} at ${server.url} were not accepted. Set LAPAK_ADMIN_USER and LAPAK_ADMIN_PASSWORD, or put user:password in the server URL.`,
    );
  if (welcome.body.couchdb === 'Welcome') return 'couchdb';
  if ('express-pouchdb' in welcome.body) return 'pouchdb-server';
  throw new ProvisionError(
    `The ${server.label} at ${server.url} does not look like CouchDB or PouchDB Server (its / answered ${JSON.stringify(welcome.body)}).`,
  );
}

/**
 * A replication endpoint as this server's replicator wants it. CouchDB 3.2+ takes
 * credentials in an `auth` object (userinfo in the URL is deprecated); PouchDB Server's
 * replicator only understands userinfo in the URL.
 */
export function replicationEndpoint(
  flavor: ServerFlavor,
  url: string,
  username: string,
  password: string,
): string | { url: string; auth: { basic: { username: string; password: string } } } {
  if (flavor === 'couchdb') return { url, auth: { basic: { username, password } } };
  const u = new URL(url);
  u.username = encodeURIComponent(username);
  u.password = encodeURIComponent(password);
  return u.toString();
}
