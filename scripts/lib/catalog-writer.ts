// Writes catalog documents with an inline photo attachment, idempotently: a document is
// rewritten only when its fields or its photo (by digest) changed.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { docPath, type CouchAdmin } from './couch-admin';
import { fail, getDoc } from './ensure';
import type { StepLog } from './steps';

export interface Photo {
  name: string;
  contentType: string;
  data: Buffer;
}

type Doc = Record<string, unknown> & { _id: string };

export async function ensureCatalogDoc(
  server: CouchAdmin,
  log: StepLog,
  db: string,
  wanted: { _id: string },
  photo: Photo | null,
): Promise<void> {
  const doc = wanted as Doc;
  const current = await getDoc<Doc & { _rev: string; _attachments?: Record<string, { digest?: string }> }>(server, db, doc._id);
  const strip = (d: Doc) => Object.fromEntries(Object.entries(d).filter(([k]) => !['_rev', '_attachments', 'updated_at'].includes(k)));
  const digest = photo ? `md5-${createHash('md5').update(new Uint8Array(photo.data)).digest('base64')}` : null;
  const samePhoto = !photo || current?._attachments?.[photo.name]?.digest === digest;
  const change = !current ? 'create' : isDeepStrictEqual(strip(current), strip(doc)) && samePhoto ? 'none' : 'update';
  if (change !== 'none' && !log.dryRun) {
    const body: Doc = { ...doc, ...(current ? { _rev: current._rev } : {}) };
    if (photo) body._attachments = { [photo.name]: { content_type: photo.contentType, data: photo.data.toString('base64') } };
    const res = await server.request('PUT', docPath(db, doc._id), body);
    if (res.status >= 400) fail(server, `write ${db}/${doc._id}`, res);
  }
  log.record(server.label, `${db}/${doc._id}`, change);
}
