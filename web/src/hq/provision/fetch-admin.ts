// The HQ provisioning page's CouchAdmin: fetch with an explicit Basic login of a server admin.
// Never the browser's cookies (credentials: 'omit'): the other server's gateway allows
// cross-origin calls only without them (couch/gateway/cors.ts).
import { CouchUnreachable, type CouchAdmin, type CouchResponse } from '../../../../scripts/lib/couch-admin';

export interface AdminLogin {
  username: string;
  password: string;
}

export function basicAuth(login: AdminLogin): string {
  // btoa takes Latin-1 only; a password may have any character.
  const bytes = new TextEncoder().encode(`${login.username}:${login.password}`);
  return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

/** Why a fetch to `url` failed where the browser does not say (it reports every such failure as a bare TypeError). */
export function unreachableHint(url: string, pageOrigin = location.origin): string {
  const target = new URL(url);
  if (pageOrigin.startsWith('https:') && target.protocol === 'http:')
    return `This page is served over https and the browser blocks calls from it to an http address (mixed content). Open this page from an http address of a Lapak server, or give the server's https address.`;
  const hints = ['check that the address is right and the server is running'];
  if (target.origin !== pageOrigin)
    hints.push(
      'the address must be a Lapak server (its gateway allows this page to call /db from another origin; a CouchDB reached directly does not)',
    );
  if (target.protocol === 'https:')
    hints.push(`if the server uses a self-signed certificate, open ${target.origin} once in this browser and trust its certificate first`);
  return hints.join('; ') + '.';
}

/** `dbUrl` is the server's CouchDB endpoint as this browser reaches it, e.g. https://store.example/db. */
export function fetchAdmin(label: string, dbUrl: string, login: AdminLogin): CouchAdmin {
  const base = dbUrl.replace(/\/+$/, '');
  const authorization = basicAuth(login);
  return {
    label,
    url: base,
    async request<T>(method: string, path: string, body?: unknown): Promise<CouchResponse<T>> {
      let res: Response;
      try {
        res = await fetch(`${base}/${path}`, {
          method,
          headers: { authorization, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          credentials: 'omit',
          cache: 'no-store',
        });
      } catch (e) {
        throw new CouchUnreachable(
          `The ${label} at ${base} is unreachable from this browser (${(e as Error).message}): ${unreachableHint(base)}`,
        );
      }
      const text = await res.text();
      try {
        return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
      } catch {
        throw new CouchUnreachable(
          `The ${label} at ${base} answered HTTP ${res.status} with something that is not CouchDB's JSON. Check the address: it is the server's own address (such as https://store.example:8443), and the page adds /db itself.`,
        );
      }
    },
  };
}
