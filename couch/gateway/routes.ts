// Which CouchDB requests the gateway lets through without asking who is calling. Anything
// that manages the server or creates and deletes databases needs a server admin; the
// gateway checks that itself because PouchDB Server crashes on some of these when the
// caller is anonymous (a PUT of a database that does not exist, for one).

/** Server-level endpoints anyone may call; CouchDB decides what they return. */
const PUBLIC_SERVER_PATHS = new Set(['', '_session', '_uuids', '_up']);

/** Databases whose names start with `_` that non-admins use: _users for password changes. */
const PUBLIC_SYSTEM_DBS = new Set(['_users']);

export function needsServerAdmin(method: string, couchPath: string): boolean {
  const path = couchPath.split('?')[0]!.replace(/^\/+/, '');
  const segments = path.split('/').filter((s) => s.length > 0);
  const first = segments[0] ?? '';
  if (segments.length <= 1 && PUBLIC_SERVER_PATHS.has(first)) return false;
  // Fauxton's static pages (couch/gateway/fauxton.ts); the data it shows goes through the same rules as any client.
  if (first === '_utils' && (method === 'GET' || method === 'HEAD')) return false;
  if (first.startsWith('_') && !PUBLIC_SYSTEM_DBS.has(decodeURIComponent(first))) return true;
  // Creating and deleting databases (POST /{db} creates a document and is fine).
  if (segments.length === 1 && (method === 'PUT' || method === 'DELETE')) return true;
  if (segments.length >= 2 && ['_compact', '_view_cleanup', '_purge', '_revs_limit'].includes(segments[1]!) && method !== 'GET')
    return true;
  return false;
}

/**
 * "." and ".." segments, also percent-encoded: URL parsing on the way upstream resolves them,
 * so /lapak_x/../lapak_new would reach the server as PUT /lapak_new past the check above
 * (an anonymous one crashes PouchDB Server).
 */
export function hasDotSegment(couchPath: string): boolean {
  return couchPath
    .split('?')[0]!
    .split('/')
    .some((segment) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return true;
      }
      return decoded === '.' || decoded === '..';
    });
}
