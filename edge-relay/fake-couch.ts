// A minimal CouchDB stand-in for unit tests: documents with revisions, 409 on stale revisions,
// and hooks to make it fail or hang. Only what the relay calls.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCouch {
  url: string;
  docs: Map<string, Record<string, unknown>>;
  requests: string[];
  /** Return a status (and body) to answer a request instead of the default, 'hang' to never answer, or undefined. */
  intercept: ((method: string, path: string) => { status: number; body: unknown } | 'hang' | undefined) | null;
  close(): Promise<void>;
}

export async function fakeCouch(): Promise<FakeCouch> {
  const docs = new Map<string, Record<string, unknown>>();
  const requests: string[] = [];
  const hanging: ServerResponse[] = [];
  const fake: FakeCouch = { url: '', docs, requests, intercept: null, close: async () => {} };
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Uint8Array) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
      requests.push(`${method} ${path}`);
      const forced = fake.intercept?.(method, path);
      if (forced === 'hang') return void hanging.push(res);
      if (forced) return reply(res, forced.status, forced.body);
      const key = path.slice(1);
      if (method === 'GET') {
        const doc = docs.get(key);
        return doc ? reply(res, 200, doc) : reply(res, 404, { error: 'not_found', reason: 'missing' });
      }
      if (method === 'PUT') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        const current = docs.get(key);
        if ((current?._rev ?? undefined) !== (body._rev ?? undefined)) return reply(res, 409, { error: 'conflict' });
        const n = current ? Number(String(current._rev).split('-')[0]) + 1 : 1;
        const rev = `${n}-x`;
        docs.set(key, { ...body, _rev: rev });
        return reply(res, 201, { ok: true, id: body._id, rev });
      }
      reply(res, 405, { error: 'method_not_allowed' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    for (const r of hanging) r.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return fake;
}

/** Puts a document with a fresh revision, as another writer would. */
export function putAsOther(fake: FakeCouch, key: string, doc: Record<string, unknown>): void {
  const current = fake.docs.get(key);
  const n = current ? Number(String(current._rev).split('-')[0]) + 1 : 1;
  fake.docs.set(key, { ...doc, _rev: `${n}-other` });
}
