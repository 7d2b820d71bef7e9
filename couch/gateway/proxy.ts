// Streams a request to the upstream CouchDB and its answer back. Two answers are rewritten
// so that clients see what CouchDB 3 would say where PouchDB Server says otherwise:
// a refusal to a logged-in user is 403 forbidden (PouchDB Server: 401), and a _bulk_docs
// into a database the user is not a member of is refused as a whole (PouchDB Server: 201
// with an error per document).
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { SessionLookup } from './session';

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];
const NOT_MEMBER = 'You are not authorized to access this db.';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

async function collect(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of stream) chunks.push(c as Uint8Array);
  return Buffer.concat(chunks);
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

/** The refusal CouchDB 3 gives: 401 to the anonymous, 403 to a logged-in user. */
async function refusal(req: IncomingMessage, sessions: SessionLookup, reason: string): Promise<{ status: number; body: unknown }> {
  const session = await sessions.lookup(req.headers);
  return session.name ? { status: 403, body: { error: 'forbidden', reason } } : { status: 401, body: { error: 'unauthorized', reason } };
}

function isBulkDocs(req: IncomingMessage, couchPath: string): boolean {
  return req.method === 'POST' && /^\/[^/]+\/_bulk_docs(\?|$)/.test(couchPath);
}

export function proxyToCouch(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  couchPath: string,
  sessions: SessionLookup,
  body?: Buffer,
): void {
  // Concatenate rather than resolve: a path like //other-host/x must not leave the upstream.
  const target = new URL(upstream.replace(/\/$/, '') + couchPath);
  const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
  for (const h of HOP_BY_HOP) delete headers[h];
  if (body) headers['content-length'] = String(body.length);
  const upstreamReq = request(target, { method: req.method, headers }, (up) => {
    const outHeaders: Record<string, string | string[] | undefined> = { ...up.headers };
    for (const h of HOP_BY_HOP) delete outHeaders[h];
    // The gateway's CORS policy (cors.ts) is the only one: a CouchDB [cors] section must not widen it.
    for (const h of Object.keys(outHeaders)) if (h.startsWith('access-control-')) delete outHeaders[h];
    const status = up.statusCode ?? 502;
    if (status !== 401 && !(status === 201 && isBulkDocs(req, couchPath))) {
      res.writeHead(status, outHeaders);
      up.pipe(res);
      return;
    }
    void rewrite(upstream, couchPath, up, status, outHeaders, req, res, sessions).catch(() => res.destroy());
  });
  upstreamReq.on('error', (e) => {
    if (!res.headersSent)
      sendJson(res, 502, {
        error: 'store_server_unreachable',
        reason: `The database server is not answering (${e.message}). It restarts by itself; try again shortly.`,
      });
    else res.destroy();
  });
  if (body) upstreamReq.end(body);
  else req.pipe(upstreamReq);
}

type BulkRow = { id?: string; error?: string; reason?: string };

/** Whether the caller may use the database at all (its info answers 200). */
async function isMember(req: IncomingMessage, upstream: string, couchPath: string): Promise<boolean> {
  const db = couchPath.split('/')[1] ?? '';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.headers.authorization) headers.authorization = req.headers.authorization;
  if (req.headers.cookie) headers.cookie = req.headers.cookie;
  const res = await fetch(`${upstream.replace(/\/$/, '')}/${db}`, { headers }).catch(() => null);
  return res?.ok ?? false;
}

async function rewrite(
  upstream: string,
  couchPath: string,
  up: IncomingMessage,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  req: IncomingMessage,
  res: ServerResponse,
  sessions: SessionLookup,
): Promise<void> {
  const raw = await collect(up);
  const parsed = parse(raw);
  let out: { status: number; body: unknown } | null = null;
  if (status === 401) {
    const session = await sessions.lookup(req.headers);
    if (session.name)
      out = { status: 403, body: { error: 'forbidden', reason: (parsed as { reason?: string } | null)?.reason ?? NOT_MEMBER } };
  } else if (Array.isArray(parsed) && (parsed as BulkRow[]).some((r) => r.error === 'unauthorized' && r.reason === NOT_MEMBER)) {
    // PouchDB Server says the same to a non-member and to a member writing a design
    // document; CouchDB refuses the first request as a whole and the second per document.
    out = (await isMember(req, upstream, couchPath))
      ? {
          status,
          body: (parsed as BulkRow[]).map((r) =>
            r.error === 'unauthorized' && r.reason === NOT_MEMBER
              ? { ...r, error: 'forbidden', reason: 'You are not a db or server admin.' }
              : r,
          ),
        }
      : await refusal(req, sessions, NOT_MEMBER);
  }
  if (!out) {
    headers['content-length'] = String(raw.length);
    res.writeHead(status, headers);
    res.end(raw);
    return;
  }
  delete headers['www-authenticate'];
  const text = Buffer.from(JSON.stringify(out.body));
  res.writeHead(out.status, { ...headers, 'content-type': 'application/json', 'content-length': String(text.length) });
  res.end(text);
}
