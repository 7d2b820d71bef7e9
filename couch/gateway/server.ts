// The gateway: one origin for the PWA (/) and the database (/db/...), so that CouchDB's
// cookie session works in the browser with no CORS and no cross-site cookies, and the
// security kernel in front of the database server: every /db request is parsed once
// (canonical-path.ts), its caller identified (session.ts, callers.ts), checked against the
// allowlist (allowlist.ts, decide.ts), and forwarded exactly as checked (proxy.ts).
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { GatewaySettings } from '../config';
import { ADMIN_MAX_BODY } from './allowlist';
import { callerOf, ANONYMOUS_CALLER, type Caller } from './callers';
import { parseCouchPath, upstreamPath, type CanonicalPath } from './canonical-path';
import { allowAnyOrigin, answerPreflight } from './cors';
import { decide, type Site } from './decide';
import { isWrite, type DiskGuard } from './disk-guard';
import { isFauxtonPath, serveFauxton } from './fauxton';
import { bulkDocsRefusal } from './bulk-docs-guard';
import { findRefusal, usesIndex } from './find-guard';
import { basicCredentials, LoginThrottle } from './login-throttle';
import { proxyToCouch, sendJson } from './proxy';
import { readBody } from './request-body';
import { DATA_HEADERS } from './security-headers';
import { credentialHeaders, SessionLookup } from './session';
import { serveStatic } from './static-files';
import { guardUsers } from './users-guard';
import { proxyUpgrade } from './websocket-proxy';

export const DB_PREFIX = '/db';
export const RELAY_PREFIX = '/relay';

export interface GatewayOptions extends GatewaySettings {
  upstream: string;
  staticDir: string;
  label: string;
  /** Served at /lapak-site.json: tells the web app which server this is (store codes, or central). */
  site: SiteInfo;
  /** The edge relay on this server, reached at /relay (WebSocket) and /relay/health. */
  relay?: { host: string; port: number };
  /** Refuses writes while the database server's disk is nearly full. */
  diskGuard?: DiskGuard;
}

export type SiteInfo = { kind: 'store'; tenant: string; store: string } | { kind: 'central' };

export interface Gateway {
  url: string;
  server: Server;
  close(): Promise<void>;
}

type Refusal = { status: number; error: string; reason: string; headers?: Record<string, string> };

const refuse = (status: number, error: string, reason: string, headers?: Record<string, string>): Refusal => ({
  status,
  error,
  reason,
  headers,
});

const NOT_HERE = 'Only the web app is served here; the database is under /db.';

/** The account and password of a login: POST /_session sends them as JSON or as a form. */
function loginOf(body: Buffer, contentType: string | undefined): { account: string; password: string } | null {
  const text = body.toString('utf8');
  try {
    const fields: Record<string, unknown> = /json/.test(contentType ?? '')
      ? (JSON.parse(text) as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(text));
    return typeof fields.name === 'string' && typeof fields.password === 'string'
      ? { account: fields.name, password: fields.password }
      : null;
  } catch {
    return null;
  }
}

const USER_DOC_PREFIX = 'org.couchdb.user:';

/** The account whose `_users` document a request writes, if it writes one. */
function writtenAccount(method: string, segments: readonly string[]): string | null {
  const [db, id] = segments;
  if (db !== '_users' || !id?.startsWith(USER_DOC_PREFIX) || segments.length !== 2) return null;
  return method === 'PUT' || method === 'DELETE' ? id.slice(USER_DOC_PREFIX.length) : null;
}

function addressOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const sessions = new SessionLookup(opts.upstream);
  const throttle = new LoginThrottle(opts.loginLimits);
  const site: Site = opts.site.kind;
  const tls = !!opts.tls;

  function throttled(account: string, address: string, secret: string): Refusal | null {
    const verdict = throttle.check(account, address, secret);
    return verdict.allowed ? null : refuse(429, 'too_many_requests', verdict.reason, { 'retry-after': String(verdict.retryAfterSeconds) });
  }

  /** Who is calling; a refusal when the credentials are wrong, locked out, or cannot be checked. */
  async function identify(req: IncomingMessage): Promise<Caller | Refusal> {
    const basic = basicCredentials(req.headers.authorization);
    const secret = basic ? LoginThrottle.secret(basic.account, basic.password) : '';
    const locked = basic && throttled(basic.account, addressOf(req), secret);
    if (locked) return locked;
    const session = await sessions.lookup(req.headers);
    if (session.kind === 'unreachable')
      return refuse(502, 'store_server_unreachable', 'The database server is not answering. It restarts by itself; try again shortly.');
    if (session.kind === 'refused') {
      if (basic) throttle.failed(basic.account, addressOf(req), secret);
      return refuse(401, 'unauthorized', 'Name or password is incorrect.');
    }
    if (session.kind === 'anonymous') return ANONYMOUS_CALLER;
    if (basic) throttle.succeeded(secret);
    return callerOf(session.name, session.roles);
  }

  /** A request body no larger than `limit`, or why it is refused. */
  async function boundedBody(req: IncomingMessage, limit: number): Promise<Buffer | Refusal> {
    const tooLarge = refuse(413, 'too_large', `The request body is larger than ${limit} bytes, the most this request may carry.`);
    if (Number(req.headers['content-length'] ?? 0) > limit) return tooLarge;
    return (await readBody(req, limit)) ?? tooLarge;
  }

  async function handleDb(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const method = req.method ?? 'GET';
    const parsed = parseCouchPath(raw);
    if (!parsed.ok) return refuseWith(req, res, refuse(400, 'bad_request', parsed.reason));
    const path = parsed.path;
    const target = upstreamPath(path);
    if (isFauxtonPath(method, path.segments)) return serveFauxton(req, res, target, DB_PREFIX);

    const who = await identify(req);
    if ('status' in who) return refuseWith(req, res, who);
    const decision = decide(site, method, path, who);
    if (!decision.allow) return refuseWith(req, res, decision);

    const isLogin = method === 'POST' && path.segments.length === 1 && path.segments[0] === '_session';
    let body: Buffer | undefined;
    if (!who.admin || isLogin) {
      const read = await boundedBody(req, decision.route?.maxBody ?? 4096);
      if ('status' in read) return refuseWith(req, res, read);
      body = read;
    } else if (Number(req.headers['content-length'] ?? 0) > ADMIN_MAX_BODY)
      return refuseWith(req, res, refuse(413, 'too_large', 'The request body is too large.'));

    const account = writtenAccount(method, path.segments);
    if (account) sessions.accountWritten(account);

    let onStatus: ((status: number) => void) | undefined;
    const login = isLogin ? loginOf(body!, req.headers['content-type']) : null;
    if (login) {
      const secret = LoginThrottle.secret(login.account, login.password);
      const locked = throttled(login.account, addressOf(req), secret);
      if (locked) return refuseWith(req, res, locked);
      onStatus = (status) => {
        if (status === 401) throttle.failed(login.account, addressOf(req), secret);
        else if (status === 200) throttle.succeeded(secret);
      };
    }

    if (!who.admin) {
      const checked = await routeCheck(req, path, who, body!);
      if ('status' in checked) return refuseWith(req, res, checked);
      body = checked.body;
    }
    if (opts.diskGuard && isWrite(method, target)) {
      const full = await opts.diskGuard.refusal();
      if (full) return refuseWith(req, res, { status: 507, ...full });
    }
    proxyToCouch(req, res, { upstream: opts.upstream, path: target, sessions, body, answerHeaders: DATA_HEADERS, tls, onStatus });
  }

  /** The checks some routes need beyond the table: the own account, indexed queries. */
  async function routeCheck(req: IncomingMessage, path: CanonicalPath, who: Caller, body: Buffer): Promise<Refusal | { body: Buffer }> {
    const [first, second] = path.segments;
    if (first === '_users') {
      const verdict = await guardUsers(req.method ?? 'GET', path.segments, who.name, body, (id) => readAsCaller(id, req));
      if (!verdict.allow) return refuse(verdict.status, verdict.error, verdict.reason);
      if (req.method === 'PUT' && who.name) sessions.passwordChanging(req.headers, who.name);
    }
    if (second === '_bulk_docs') {
      const why = bulkDocsRefusal(body);
      if (why) return refuse(why.status, why.status === 403 ? 'forbidden' : 'bad_request', why.reason);
    }
    if (second === '_find') {
      const why = findRefusal(body);
      if (why) return refuse(400, 'bad_request', why);
      const explain = await fetch(`${opts.upstream}/${encodeURIComponent(first!)}/_explain`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...credentialHeaders(req.headers) },
        body: new Uint8Array(body),
      }).catch(() => null);
      if (!explain?.ok || !usesIndex(await explain.json().catch(() => null)))
        return refuse(
          400,
          'no_usable_index',
          'No index serves this query, and a query without one reads the whole database: select by type and created_at, or by type and order_id.',
        );
    }
    return { body };
  }

  /** The caller's own account document, read with the caller's own credentials. */
  async function readAsCaller(id: string, req: IncomingMessage): Promise<Record<string, unknown> | null> {
    const res = await fetch(`${opts.upstream}/_users/${encodeURIComponent(id)}`, {
      headers: { accept: 'application/json', ...credentialHeaders(req.headers) },
    });
    return res.ok ? ((await res.json()) as Record<string, unknown>) : null;
  }

  function refuseWith(req: IncomingMessage, res: ServerResponse, r: Refusal): void {
    req.resume();
    sendJson(res, r.status, { error: r.error, reason: r.reason }, { ...DATA_HEADERS, ...r.headers });
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const isDb = url === DB_PREFIX || url.startsWith(`${DB_PREFIX}/`) || url.startsWith(`${DB_PREFIX}?`);
    if (isDb || url === '/lapak-site.json') {
      // The HQ provisioning page calls the other server's /db with an admin's explicit credentials.
      if (answerPreflight(req, res)) return;
      allowAnyOrigin(req, res);
    }
    if (isDb) return handleDb(req, res, url.slice(DB_PREFIX.length));
    // Not the app's: CouchDB's replicator, for one, tries POST /_session at the root and must hear "no".
    if ((req.method !== 'GET' && req.method !== 'HEAD') || url.startsWith('/_'))
      return refuseWith(req, res, refuse(404, 'not_found', NOT_HERE));
    if (url === '/lapak-site.json') return sendJson(res, 200, { ...opts.site, db: DB_PREFIX, relay: opts.relay ? RELAY_PREFIX : null });
    if (opts.relay && url === `${RELAY_PREFIX}/health`)
      return proxyToCouch(req, res, {
        upstream: `http://${opts.relay.host}:${opts.relay.port}`,
        path: '/health',
        sessions,
        answerHeaders: DATA_HEADERS,
        tls,
      });
    if (url.startsWith(`${RELAY_PREFIX}/`)) return refuseWith(req, res, refuse(404, 'not_found', NOT_HERE));
    serveStatic(opts.staticDir, req, res);
  };

  const trace = process.env.LAPAK_GATEWAY_TRACE === '1';
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    // A client that resets mid-request must not take the process down.
    req.on('error', () => res.destroy());
    res.on('error', () => req.destroy());
    if (trace) {
      const started = Date.now();
      res.on('finish', () => console.error(`[gateway ${opts.label}] ${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));
    }
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'gateway_error', reason: e.message });
      else res.destroy();
    });
  };
  const server = opts.tls
    ? createHttps({ cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key) }, listener)
    : createHttp(listener);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Before anything else: a reset on a refused upgrade would otherwise be an unhandled error.
    socket.on('error', () => socket.destroy());
    if (!opts.relay || !(req.url ?? '').startsWith(`${RELAY_PREFIX}/`))
      return void socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    proxyUpgrade(req, socket, head, opts.relay);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host === '0.0.0.0' || opts.host === '127.0.0.1' ? 'localhost' : opts.host;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        // Upgraded (WebSocket) connections are no longer the server's to close: end them too.
        for (const socket of upgraded) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
