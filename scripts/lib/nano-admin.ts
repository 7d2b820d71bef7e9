// The command-line tools' CouchAdmin: nano, the official Node client.
import nano from 'nano';
import type { CouchEndpoint } from '../../couch/config';
import { CouchUnreachable, type CouchAdmin, type CouchResponse } from './couch-admin';

interface NanoError {
  statusCode?: number;
  error?: string;
  reason?: string;
  message?: string;
  code?: string;
}

export function nanoAdmin(label: string, endpoint: CouchEndpoint): CouchAdmin {
  const url = new URL(endpoint.url);
  url.username = encodeURIComponent(endpoint.admin.username);
  url.password = encodeURIComponent(endpoint.admin.password);
  const server = nano({ url: url.toString().replace(/\/$/, '') });
  return {
    label,
    url: endpoint.url,
    async request<T>(method: string, path: string, body?: unknown): Promise<CouchResponse<T>> {
      try {
        const result = (await server.request({ method: method.toLowerCase(), path, body: body as object | undefined })) as T;
        return { status: 200, body: result };
      } catch (e) {
        const err = e as NanoError;
        if (typeof err.statusCode === 'number') return { status: err.statusCode, body: { error: err.error, reason: err.reason } as T };
        throw new CouchUnreachable(
          `The ${label} at ${endpoint.url} is unreachable (${err.code ?? err.message ?? String(e)}). Check that it is running and the URL is right.`,
        );
      }
    },
  };
}
