// A deliberately dumb HTTP client for tests: raw requests, as a hostile device would send.
export interface RawResponse {
  status: number;
  body: Record<string, unknown> & Array<Record<string, unknown>>;
  headers: Headers;
}

export type Credentials = { username: string; password: string } | { cookie: string } | null;

export class Raw {
  constructor(
    readonly base: string,
    readonly credentials: Credentials = null,
  ) {}

  as(credentials: Credentials): Raw {
    return new Raw(this.base, credentials);
  }

  async req(method: string, path: string, body?: unknown): Promise<RawResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.credentials && 'username' in this.credentials)
      headers.authorization = 'Basic ' + Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
    if (this.credentials && 'cookie' in this.credentials) headers.cookie = this.credentials.cookie;
    const res = await fetch(`${this.base}/${path.replace(/^\//, '')}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { raw: text };
    }
    return { status: res.status, body: parsed as RawResponse['body'], headers: res.headers };
  }

  get = (path: string) => this.req('GET', path);
  put = (path: string, body: unknown) => this.req('PUT', path, body);
  post = (path: string, body: unknown) => this.req('POST', path, body);
  del = (path: string) => this.req('DELETE', path);

  /** Logs in with POST /_session and returns a client that sends the session cookie. */
  async login(username: string, password: string): Promise<Raw> {
    const res = await fetch(`${this.base}/_session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: username, password }),
    });
    if (res.status !== 200) throw new Error(`login as ${username} failed: HTTP ${res.status}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return this.as({ cookie });
  }
}

export const enc = encodeURIComponent;
