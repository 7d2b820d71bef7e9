// The one thing provisioning needs from a CouchDB-compatible server: an admin HTTP request.
// The CLI gives it nano (nano-admin.ts); the HQ page in the browser gives it fetch
// (web/src/hq/provision/fetch-admin.ts). Nothing here may need Node: the browser loads it.

export interface CouchResponse<T = unknown> {
  status: number;
  body: T;
}

export interface CouchAdmin {
  /** "store server" or "central server", for messages. */
  readonly label: string;
  readonly url: string;
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<CouchResponse<T>>;
}

export class CouchUnreachable extends Error {}

export function docPath(db: string, id: string): string {
  const encoded = id.startsWith('_design/') ? `_design/${encodeURIComponent(id.slice(8))}` : encodeURIComponent(id);
  return `${encodeURIComponent(db)}/${encoded}`;
}
