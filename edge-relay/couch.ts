// A tiny JSON client for the store server with a timeout on every request: the relay must
// keep answering its sockets and /health when CouchDB is slow, down or hanging.
import type { Credentials } from './config';

export interface CouchReply {
  status: number;
  body: Record<string, unknown>;
}

export function basicAuth(c: Credentials): string {
  return 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64');
}

/** Resolves with the HTTP answer, whatever its status; rejects only when the server did not answer in time. */
export async function couchRequest(
  baseUrl: string,
  method: string,
  path: string,
  opts: { auth?: Credentials | null; body?: unknown; timeoutMs: number; signal?: AbortSignal },
): Promise<CouchReply> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.auth) headers.authorization = basicAuth(opts.auth);
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const res = await fetch(`${baseUrl}/${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal,
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    body = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    body = { raw: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

export function errorText(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timed out';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}
