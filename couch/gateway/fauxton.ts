// Fauxton, the database server's own admin UI, through the gateway at /db/_utils/. Its pages
// are static files, harmless to anyone; what it shows comes from the same database requests
// as everything else, so _security and the gateway's guards decide what each user sees.
// Fauxton addresses the server as "../.." from its page and routes only under "/_utils",
// which is right at /_utils/ but not behind a path prefix (and PouchDB Server's copy asks
// for "/_session"): the gateway points all three at the prefix instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './proxy';

const RELATIVE_HOST = /(["']?host["']?\s*:\s*)"\.\.\/\.\."/g;
/** Its router only routes when the page's path starts with this root. */
const ROOT = /(["']?root["']?\s*:\s*)"\/_utils"/g;
/** PouchDB Server's older Fauxton also asks for its session at an absolute "/_session". */
const ABSOLUTE_SESSION = /(url\s*:\s*)"\/_session"/g;

/** Fauxton's own files: any GET or HEAD under /_utils. */
export function isFauxtonPath(method: string, couchPath: string): boolean {
  const first = couchPath.split('?')[0]!.replace(/^\/+/, '').split('/')[0];
  return (method === 'GET' || method === 'HEAD') && first === '_utils';
}

export async function serveFauxton(req: IncomingMessage, res: ServerResponse, upstream: string, couchPath: string, prefix: string) {
  const path = couchPath.split('?')[0]!;
  if (path === '/_utils') {
    res.writeHead(301, { location: `${prefix}/_utils/` });
    return void res.end();
  }
  const up = await fetch(upstream.replace(/\/$/, '') + couchPath, { method: req.method, redirect: 'manual' }).catch(() => null);
  if (!up) return sendJson(res, 502, { error: 'server_unreachable', reason: 'The database server is not answering; try again shortly.' });
  const type = up.headers.get('content-type') ?? 'application/octet-stream';
  let body = Buffer.from(await up.arrayBuffer());
  if (/javascript|json/.test(type))
    body = Buffer.from(
      body
        .toString('utf8')
        .replace(RELATIVE_HOST, `$1"${prefix}"`)
        .replace(ROOT, `$1"${prefix}/_utils"`)
        .replace(ABSOLUTE_SESSION, `$1"${prefix}/_session"`),
    );
  const headers: Record<string, string> = { 'content-type': type, 'content-length': String(body.length) };
  const cache = up.headers.get('cache-control');
  if (cache) headers['cache-control'] = cache;
  const location = up.headers.get('location');
  if (location) headers.location = location.startsWith('/') ? prefix + location : location;
  res.writeHead(up.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
