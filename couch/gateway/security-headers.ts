// Headers that make the browser an ally: the app may run only its own scripts, pages of other
// sites cannot frame it, and nothing served from /db (an attachment uploaded as HTML, say)
// can run as this origin. Session cookies never travel on cross-site requests.
import type { OutgoingHttpHeaders } from 'node:http';

/**
 * The web app. connect-src stays open to http(s): the HQ provisioning page calls the other
 * server's /db, wherever it is. Styles allow inline because Vue binds style attributes.
 */
export const APP_HEADERS: OutgoingHttpHeaders = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self' http: https: ws: wss:",
    "media-src 'self' data: blob:",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** Database answers are data, never a page: a sandboxed, script-less document if a browser opens one. */
export const DATA_HEADERS: OutgoingHttpHeaders = {
  'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Fauxton is CouchDB's own single-page app: its scripts and styles come from the gateway. */
export const FAUXTON_HEADERS: OutgoingHttpHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * CouchDB's AuthSession cookie as the browser must keep it: HttpOnly, SameSite=Strict (PouchDB
 * Server sets neither), and Secure when the gateway speaks HTTPS (CouchDB behind it cannot know).
 */
export function hardenSetCookie(value: string | string[] | undefined, tls: boolean): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).map((cookie) => {
    const attrs = cookie
      .split(';')
      .map((a) => a.trim())
      .filter((a) => a && !/^(samesite|secure|httponly)(=|$)/i.test(a));
    attrs.push('HttpOnly', 'SameSite=Strict');
    if (tls) attrs.push('Secure');
    return attrs.join('; ');
  });
}
