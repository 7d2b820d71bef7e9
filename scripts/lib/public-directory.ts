// Writes the store's public directory (lapak_<t>_<s>_public) from its members-only directory:
// the store name, brands and terminals with whether each is paired, and nothing that
// identifies a device (see design-docs/lib/public-directory.ts). Idempotent: it compares
// what is there with what should be and writes only the difference, in one _bulk_docs.
// Needs the store server's admin (the only writer the public directory's validate admits);
// provisioning, unassigning and the store agent (on every directory change) call it.
import { dbName } from '../../design-docs/lib/names';
import { projectPublicWithHashes } from '../../design-docs/lib/public-directory';
import type { CouchAdmin } from './couch-admin';
import { jsonEqual } from './deep-equal';
import { fail } from './ensure';

interface Row {
  id: string;
  doc?: Record<string, unknown>;
}

async function allDocs(server: CouchAdmin, db: string): Promise<Record<string, unknown>[]> {
  const res = await server.request<{ rows?: Row[] }>('GET', `${encodeURIComponent(db)}/_all_docs?include_docs=true`);
  if (res.status >= 400) fail(server, `read ${db}`, res);
  return (res.body.rows ?? []).map((r) => r.doc).filter((d): d is Record<string, unknown> => !!d && !String(d._id).startsWith('_design/'));
}

function withoutRev(doc: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...doc };
  delete rest._rev;
  return rest;
}

/** Brings the public directory in line with the directory; returns how many documents it wrote. */
export async function syncPublicDirectory(server: CouchAdmin, tenant: string, store: string): Promise<number> {
  const target = dbName.public(tenant, store);
  const wanted = await projectPublicWithHashes(await allDocs(server, dbName.directory(tenant, store)));
  const current = new Map((await allDocs(server, target)).map((d) => [String(d._id), d]));
  const writes: Record<string, unknown>[] = [];
  for (const doc of wanted) {
    const have = current.get(doc._id);
    current.delete(doc._id);
    if (have && jsonEqual(withoutRev(have), doc as unknown as Record<string, unknown>)) continue;
    writes.push(have ? { ...doc, _rev: have._rev } : { ...doc });
  }
  // Whatever the directory no longer has (a removed terminal) leaves the public directory too.
  for (const [id, have] of current) writes.push({ _id: id, _rev: have._rev, _deleted: true });
  if (writes.length === 0) return 0;
  const res = await server.request<{ id: string; error?: string; reason?: string }[]>('POST', `${encodeURIComponent(target)}/_bulk_docs`, {
    docs: writes,
  });
  if (res.status >= 400) fail(server, `write ${target}`, res);
  const failed = (Array.isArray(res.body) ? res.body : []).filter((r) => r.error);
  // A conflict means another writer (a second agent, provisioning) got there first: the next sync settles it.
  const real = failed.filter((r) => r.error !== 'conflict');
  if (real.length > 0) fail(server, `write ${target} (${real.map((r) => `${r.id}: ${r.reason ?? r.error}`).join('; ')})`, res);
  return writes.length - failed.length;
}
