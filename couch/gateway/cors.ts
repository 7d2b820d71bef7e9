// Cross-origin access to /db for the HQ provisioning page, which runs at one server's origin
// (central's, or the store's) and provisions the other. Any origin may call, but never with
// ambient credentials: there is no Access-Control-Allow-Credentials, so the browser sends no
// cookie and reads no answer to a cookie-authenticated request; the page must send an explicit
// Authorization header of a server admin, which another site cannot know.
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, DELETE, COPY';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, If-Match, Destination';

/** Answers a CORS preflight; returns false when the request is not one. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'OPTIONS' || !req.headers.origin || !req.headers['access-control-request-method']) return false;
  req.resume();
  res.writeHead(204, {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '600',
    'content-length': '0',
  });
  res.end();
  return true;
}

/** Lets the caller's page read the answer that follows (set before the answer's own headers). */
export function allowAnyOrigin(req: IncomingMessage, res: ServerResponse): void {
  if (!req.headers.origin) return;
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', 'ETag');
}
