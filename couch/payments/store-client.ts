// The connector's HTTP client of the store's CouchDB, as its own account (Basic auth on every
// request, no session to lose when the server restarts). An unreachable server or one that
// answers 5xx is thrown as StoreUnavailable; every other answer is returned with its status.
import { docPath } from '../../scripts/lib/couch-admin';

export class StoreUnavailable extends Error {
  constructor(
    message: string,
    /** The request ran out of time (the server may be up and only slow, or holding a long poll). */
    readonly timedOut = false,
  ) {
    super(message);
  }
}

export interface StoreAnswer<T> {
  status: number;
  body: T;
}

export interface Credentials {
  username: string;
  password: string;
}

export class StoreClient {
  private readonly auth: string;

  constructor(
    readonly url: string,
    readonly credentials: Credentials,
    private readonly timeoutMs = 15_000,
  ) {
    this.auth = 'Basic ' + Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    opts: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<StoreAnswer<T>> {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.url.replace(/\/+$/, '')}/${path}`, {
        method,
        headers: {
          authorization: this.auth,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      text = await res.text();
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      throw new StoreUnavailable(
        `the store server at ${this.url} did not answer ${method} ${path.split('?')[0]} (${err.cause?.code ?? err.cause?.message ?? err.name})`,
        timeout.aborted,
      );
    }
    if (res.status >= 500) throw new StoreUnavailable(`the store server answered ${method} ${path.split('?')[0]} with HTTP ${res.status}`);
    let parsed: unknown = {};
    try {
      parsed = text.trim() ? JSON.parse(text) : {};
    } catch {
      throw new StoreUnavailable(`the store server answered ${method} ${path.split('?')[0]} with something that is not JSON`);
    }
    return { status: res.status, body: parsed as T };
  }

  /** Creates a document. 'exists' when it already does (409): written before, by this connector or an earlier run. */
  async create(db: string, doc: { _id: string }): Promise<'written' | 'exists' | { refused: number; reason: string }> {
    const res = await this.request<{ reason?: string; error?: string }>('PUT', docPath(db, doc._id), doc);
    if (res.status === 201 || res.status === 202) return 'written';
    if (res.status === 409) return 'exists';
    return { refused: res.status, reason: `${res.body.error ?? ''} ${res.body.reason ?? ''}`.trim() };
  }

  /** The documents of these ids that exist (deleted ones too: a deleted outcome is still an outcome). */
  async existing(db: string, ids: string[]): Promise<{ status: number; ids: Set<string> }> {
    const res = await this.request<{ rows?: { id?: string; key: string; error?: string; value?: unknown }[] }>(
      'POST',
      `${encodeURIComponent(db)}/_all_docs`,
      { keys: ids },
    );
    const found = new Set<string>();
    for (const row of res.body.rows ?? []) if (!row.error && row.id) found.add(row.id);
    return { status: res.status, ids: found };
  }
}
