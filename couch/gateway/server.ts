// The gateway: one origin for the PWA (/) and the database (/db/...), so that CouchDB's
// cookie session works in the browser with no CORS and no cross-site cookies. It also
// guards the database server: server-management requests need a server admin.
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { GatewaySettings } from '../config';
import { allowAnyOrigin, answerPreflight } from './cors';
import { isWrite, type DiskGuard } from './disk-guard';
import { isFauxtonPath, serveFauxton } from './fauxton';
import { proxyToCouch, sendJson } from './proxy';
import { hasDotSegment, needsServerAdmin } from './routes';
import { guardUsers } from './users-guard';
import { proxyUpgrade } from './websocket-proxy';
import { SessionLookup } from './session';
import { serveStatic } from './static-files';

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

/** The caller's own account document, read with the caller's own credentials. */
async function readAsCaller(upstream: string, id: string, req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.headers.authorization) headers.authorization = req.headers.authorization;
  if (req.headers.cookie) headers.cookie = req.headers.cookie;
  const res = await fetch(`${upstream}/_users/${encodeURIComponent(id)}`, { headers });
  return res.ok ? ((await res.json()) as Record<string, unknown>) : null;
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const sessions = new SessionLookup(opts.upstream);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const isDb = url === DB_PREFIX || url.startsWith(`${DB_PREFIX}/`) || url.startsWith(`${DB_PREFIX}?`);
    if (isDb || url === '/lapak-site.json') {
      // The HQ provisioning page calls the other server's /db with an admin's explicit credentials.
      if (answerPreflight(req, res)) return;
      allowAnyOrigin(req, res);
    }
    if (url === '/lapak-site.json') return sendJson(res, 200, { ...opts.site, db: DB_PREFIX, relay: opts.relay ? RELAY_PREFIX : null });
    if (opts.relay && url === `${RELAY_PREFIX}/health`)
      return proxyToCouch(req, res, `http://${opts.relay.host}:${opts.relay.port}`, '/health', sessions);
    if (!isDb) return serveStatic(opts.staticDir, req, res);
    const couchPath = url.slice(DB_PREFIX.length) || '/';
    const method = req.method ?? 'GET';
    if (hasDotSegment(couchPath)) {
      req.resume();
      return sendJson(res, 400, { error: 'bad_request', reason: 'Database paths with "." or ".." segments are not accepted.' });
    }
    if (isFauxtonPath(method, couchPath)) return serveFauxton(req, res, opts.upstream, couchPath, DB_PREFIX);
    if (needsServerAdmin(method, couchPath)) {
      const session = await sessions.lookup(req.headers);
      if (!session.roles.includes('_admin')) {
        req.resume();
        return sendJson(res, session.name ? 403 : 401, {
          error: session.name ? 'forbidden' : 'unauthorized',
          reason: 'This request manages the database server; only a server administrator may make it.',
        });
      }
    }
    if (opts.diskGuard && isWrite(method, couchPath)) {
      const refusal = await opts.diskGuard.refusal();
      if (refusal) {
        req.resume();
        return sendJson(res, 507, refusal);
      }
    }
    const segments = couchPath.split('?')[0]!.split('/').filter(Boolean);
    if (segments[0] === '_users') {
      const session = await sessions.lookup(req.headers);
      if (!session.roles.includes('_admin')) {
        const verdict = await guardUsers(req, segments, session, (id) => readAsCaller(opts.upstream, id, req));
        if (!verdict.allow) {
          req.resume();
          return sendJson(res, verdict.status, { error: verdict.error, reason: verdict.reason });
        }
        return proxyToCouch(req, res, opts.upstream, couchPath, sessions, verdict.body);
      }
    }
    proxyToCouch(req, res, opts.upstream, couchPath, sessions);
  };
  const trace = process.env.LAPAK_GATEWAY_TRACE === '1';
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (trace) {
      const started = Date.now();
      res.on('finish', () => console.error(`[gateway ${opts.label}] ${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));
      res.on('close', () => res.writableFinished || console.error(`[gateway ${opts.label}] ${req.method} ${req.url} closed early`));
    }
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'gateway_error', reason: e.message });
    });
  };
  const server = opts.tls
    ? createHttps({ cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key) }, listener)
    : createHttp(listener);
  server.keepAliveTimeout = 65_000;
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!opts.relay || !(req.url ?? '').startsWith(`${RELAY_PREFIX}/`))
      return void socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
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
