// Serves the built PWA. index.html and the service worker are never cached by the browser
// (so updates are found); hashed assets are cached for a year. Unknown paths fall back to
// index.html so that app routes survive a reload.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { APP_HEADERS } from './security-headers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
};

function cacheControl(rel: string): string {
  if (rel.startsWith(`assets${sep}`)) return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  let urlPath = '/';
  try {
    urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    // A malformed address is no file of the app: the app itself answers it.
  }
  let rel = normalize(urlPath).replace(/^([/\\])+/, '');
  if (rel.startsWith('..')) rel = 'index.html';
  let file = join(root, rel);
  if (!rel || !existsSync(file) || statSync(file).isDirectory()) {
    rel = 'index.html';
    file = join(root, rel);
  }
  if (!existsSync(file)) {
    res.writeHead(503, { ...APP_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
    res.end('The Lapak web app is not built yet: run "npm run build:web".');
    return;
  }
  res.writeHead(200, {
    ...APP_HEADERS,
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': cacheControl(rel),
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}
