// Streams a checked request to the upstream CouchDB and its answer back. Only the headers
// CouchDB needs are forwarded (one credential, never a proxy-authentication header a client
// made up), and two answers are rewritten so that clients see what CouchDB 3 would say where
// PouchDB Server says otherwise: a refusal to a logged-in user is 403 forbidden (PouchDB
// Server: 401), and a _bulk_docs into a database the user is not a member of is refused as a
// whole (PouchDB Server: 201 with an error per document).
import { request, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { hardenSetCookie } from './security-headers';
import { credentialHeaders, type SessionLookup } from './session';

const FORWARDED_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'if-match',
  'if-none-match',
  'user-agent',
  'x-couchdb-www-authenticate',
];
const DROPPED_ANSWER_HEADERS = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'content-security-policy',
];
const NOT_MEMBER = 'You are not authorized to access this db.';

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: OutgoingHttpHeaders = {}): void {
  if (res.headersSent) return void res.destroy();
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...extra,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
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

export interface ProxyOptions {
  upstream: string;
  /** Canonical path and query (canonical-path.ts), exactly as checked. */
  path: string;
  sessions: SessionLookup;
  /** The request body, already read and checked; without it the request streams through. */
  body?: Buffer;
  /** Added to every answer (security-headers.ts). */
  answerHeaders: OutgoingHttpHeaders;
  tls: boolean;
  /** Told the upstream status before the answer is sent (login accounting). */
  onStatus?: (status: number) => void;
}

export function proxyToCouch(req: IncomingMessage, res: ServerResponse, o: ProxyOptions): void {
  // Concatenate rather than resolve: the path is canonical and starts with "/".
  const target = new URL(o.upstream.replace(/\/$/, '') + o.path);
  const headers: Record<string, string> = { host: target.host, ...credentialHeaders(req.headers) };
  for (const h of FORWARDED_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  if (o.body) headers['content-length'] = String(o.body.length);
  else if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
  else if (req.headers['transfer-encoding']) headers['transfer-encoding'] = 'chunked';
  const upstreamReq = request(target, { method: req.method, headers }, (up) => {
    up.on('error', () => res.destroy());
    const status = up.statusCode ?? 502;
    o.onStatus?.(status);
    const outHeaders: OutgoingHttpHeaders = { ...up.headers };
    for (const h of DROPPED_ANSWER_HEADERS) delete outHeaders[h];
    Object.assign(outHeaders, o.answerHeaders);
    // The gateway's CORS policy (cors.ts) is the only one: a CouchDB [cors] section must not widen it.
    for (const h of Object.keys(outHeaders)) if (h.startsWith('access-control-')) delete outHeaders[h];
    const cookies = hardenSetCookie(up.headers['set-cookie'], o.tls);
    if (cookies) outHeaders['set-cookie'] = cookies;
    if (status !== 401 && !(status === 201 && isBulkDocs(req, o.path))) {
      res.writeHead(status, outHeaders);
      up.pipe(res);
      return;
    }
    void rewrite(o, up, status, outHeaders, req, res).catch(() => res.destroy());
  });
  upstreamReq.on('error', (e) => {
    if (!res.headersSent)
      sendJson(res, 502, {
        error: 'store_server_unreachable',
        reason: `The database server is not answering (${e.message}). It restarts by itself; try again shortly.`,
      });
    else res.destroy();
  });
  // A client that goes away mid-request takes the upstream request with it.
  res.on('close', () => {
    if (!res.writableFinished) upstreamReq.destroy();
  });
  if (o.body) upstreamReq.end(o.body);
  else req.pipe(upstreamReq);
}

function isBulkDocs(req: IncomingMessage, path: string): boolean {
  return req.method === 'POST' && /^\/[^/]+\/_bulk_docs(\?|$)/.test(path);
}

type BulkRow = { id?: string; error?: string; reason?: string };

/** Whether the caller may use the database at all (its info answers 200). */
async function isMember(req: IncomingMessage, upstream: string, path: string): Promise<boolean> {
  const db = path.split('/')[1] ?? '';
  const res = await fetch(`${upstream.replace(/\/$/, '')}/${db}`, {
    headers: { accept: 'application/json', ...credentialHeaders(req.headers) },
  }).catch(() => null);
  return res?.ok ?? false;
}

async function rewrite(
  o: ProxyOptions,
  up: IncomingMessage,
  status: number,
  headers: OutgoingHttpHeaders,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const raw = await collect(up);
  const parsed = parse(raw);
  let out: { status: number; body: unknown } | null = null;
  const loggedIn = async () => (await o.sessions.lookup(req.headers)).kind === 'user';
  if (status === 401) {
    // The server refused credentials the gateway had seen work a moment ago (a password just changed).
    o.sessions.forget(req.headers);
    if (await loggedIn())
      out = { status: 403, body: { error: 'forbidden', reason: (parsed as { reason?: string } | null)?.reason ?? NOT_MEMBER } };
  } else if (Array.isArray(parsed) && (parsed as BulkRow[]).some((r) => r.error === 'unauthorized' && r.reason === NOT_MEMBER)) {
    // PouchDB Server says the same to a non-member and to a member writing a design
    // document; CouchDB refuses the first request as a whole and the second per document.
    out = (await isMember(req, o.upstream, o.path))
      ? {
          status,
          body: (parsed as BulkRow[]).map((r) =>
            r.error === 'unauthorized' && r.reason === NOT_MEMBER
              ? { ...r, error: 'forbidden', reason: 'You are not a db or server admin.' }
              : r,
          ),
        }
      : (await loggedIn())
        ? { status: 403, body: { error: 'forbidden', reason: NOT_MEMBER } }
        : { status: 401, body: { error: 'unauthorized', reason: NOT_MEMBER } };
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
