// Fauxton, the database server's own admin UI, through the gateway at /db/_utils/. Its pages
// are static files, harmless to anyone; what it shows comes from the same database requests
// as everything else, so _security and the gateway's guards decide what each user sees.
// Fauxton addresses the server as "../.." from its page and routes only under "/_utils",
// which is right at /_utils/ but not behind a path prefix (and PouchDB Server's copy asks
// for "/_session"): the gateway points all three at the prefix instead.
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { sendJson } from './proxy';
import { FAUXTON_HEADERS } from './security-headers';

const RELATIVE_HOST = /(["']?host["']?\s*:\s*)"\.\.\/\.\."/g;
/** Its router only routes when the page's path starts with this root. */
const ROOT = /(["']?root["']?\s*:\s*)"\/_utils"/g;
/** PouchDB Server's older Fauxton also asks for its session at an absolute "/_session". */
const ABSOLUTE_SESSION = /(url\s*:\s*)"\/_session"/g;

/** Fauxton's own files: any GET or HEAD under /_utils. */
export function isFauxtonPath(method: string, segments: string[]): boolean {
  return (method === 'GET' || method === 'HEAD') && segments[0] === '_utils';
}

/** Fauxton's files, from the pouchdb-fauxton package: Apache CouchDB builds without Fauxton exist (ours), so the gateway serves them for both servers. */
const FAUXTON_DIR = dirname(createRequire(import.meta.url).resolve('pouchdb-fauxton'));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
};

export async function serveFauxton(req: IncomingMessage, res: ServerResponse, couchPath: string, prefix: string) {
  const path = couchPath.split('?')[0]!;
  if (path === '/_utils') {
    res.writeHead(301, { location: `${prefix}/_utils/` });
    return void res.end();
  }
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(path.slice('/_utils/'.length))).replace(/^([/\\])+/, '');
  } catch {
    return sendJson(res, 400, { error: 'bad_request', reason: 'The path is not valid percent-encoding.' });
  }
  if (rel === '' || rel === '.') rel = 'index.html';
  const file = join(FAUXTON_DIR, rel);
  if (
    rel.startsWith('..') ||
    !(await stat(file).then(
      (s) => s.isFile(),
      () => false,
    ))
  )
    return sendJson(res, 404, { error: 'not_found', reason: 'No such Fauxton file.' });
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  let body = await readFile(file);
  if (/javascript|json/.test(type))
    body = Buffer.from(
      body
        .toString('utf8')
        .replace(RELATIVE_HOST, `$1"${prefix}"`)
        .replace(ROOT, `$1"${prefix}/_utils"`)
        .replace(ABSOLUTE_SESSION, `$1"${prefix}/_session"`),
    );
  res.writeHead(200, {
    ...FAUXTON_HEADERS,
    'content-type': type,
    'content-length': String(body.length),
    'cache-control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
