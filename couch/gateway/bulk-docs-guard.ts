// _bulk_docs writes `_local/` documents as readily as PUT does (CouchDB and PouchDB Server
// alike), and validate_doc_update never sees them: a replication checkpoint in a
// non-admin's batch refuses the batch. Design documents are left to the server, which
// refuses them to non-admins one by one: a store's replication carries its restored
// `_design/lapak` up to central, and refusing its whole batch would hold back the orders
// in it (and PouchDB Server's replicator dies of a refused batch).
export function bulkDocsRefusal(body: Buffer): { status: 400 | 403; reason: string } | null {
  let parsed: { docs?: unknown };
  try {
    parsed = JSON.parse(body.toString('utf8')) as { docs?: unknown };
  } catch {
    return { status: 400, reason: 'The body is not JSON: send {"docs": [...]}.' };
  }
  if (!parsed || !Array.isArray(parsed.docs)) return { status: 400, reason: 'The body needs a "docs" array.' };
  for (const doc of parsed.docs) {
    const id = (doc as { _id?: unknown } | null)?._id;
    if (typeof id === 'string' && id.startsWith('_local/'))
      return {
        status: 403,
        reason: `Document ${id.slice(0, 80)} cannot be written here: replication checkpoints are kept on the device, or by the server administrator.`,
      };
  }
  return null;
}
