// Streams a request to the upstream CouchDB and its answer back. The only rewrite is the
// status of a refused read: PouchDB Server answers 401 to a logged-in user who is not a
// member of a database, where CouchDB answers 403; clients (and tests) see CouchDB's.
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { SessionLookup } from './session';

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function proxyToCouch(req: IncomingMessage, res: ServerResponse, upstream: string, couchPath: string, sessions: SessionLookup): void {
  // Concatenate rather than resolve: a path like //other-host/x must not leave the upstream.
  const target = new URL(upstream.replace(/\/$/, '') + couchPath);
  const headers = { ...req.headers, host: target.host };
  for (const h of HOP_BY_HOP) delete headers[h];
  const upstreamReq = request(target, { method: req.method, headers }, (up) => {
    const outHeaders = { ...up.headers };
    for (const h of HOP_BY_HOP) delete outHeaders[h];
    if (up.statusCode === 401) {
      void normalizeRefusal(up, res, outHeaders, req, sessions);
      return;
    }
    res.writeHead(up.statusCode ?? 502, outHeaders);
    up.pipe(res);
  });
  upstreamReq.on('error', (e) => {
    if (!res.headersSent) sendJson(res, 502, { error: 'store_server_unreachable', reason: `The database server is not answering (${e.message}). It restarts by itself; try again shortly.` });
    else res.destroy();
  });
  req.pipe(upstreamReq);
}

async function normalizeRefusal(up: IncomingMessage, res: ServerResponse, headers: Record<string, unknown>, req: IncomingMessage, sessions: SessionLookup): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of up) chunks.push(c as Buffer);
  let body = Buffer.concat(chunks);
  let status = 401;
  const session = await sessions.lookup(req.headers);
  if (session.name) {
    status = 403;
    let reason = 'You are not allowed to access this database.';
    try {
      reason = (JSON.parse(body.toString()) as { reason?: string }).reason ?? reason;
    } catch {
      // keep the default reason
    }
    body = Buffer.from(JSON.stringify({ error: 'forbidden', reason }));
    delete headers['www-authenticate'];
    headers['content-type'] = 'application/json';
  }
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers as Record<string, string>);
  res.end(body);
}
