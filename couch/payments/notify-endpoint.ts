// The connector's HTTP notification endpoint: `POST /payments/notify`, where the provider says
// that a transaction changed. A notification is only a hint: the signature says it came from
// the provider, and then the connector asks the provider itself (a status check) before it
// writes anything, as Midtrans advises. Answers: 401 for a bad signature, 400 for a body that
// is not a JSON object, 413 past the size limit, 200 otherwise (also when the status check
// could not be made: polling will make it).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../gateway/request-body';
import { verifyNotification, type MidtransNotification } from './midtrans';

export const NOTIFY_PATH = '/payments/notify';
/** A Midtrans notification is about 1 KB. */
export const MAX_NOTIFICATION_BYTES = 16 * 1024;

export interface NotifyEndpointOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  serverKey: string;
  /** Called for each notification with a valid signature; the answer waits for it (bounded by the caller). */
  onNotification(n: MidtransNotification): Promise<void>;
  log: (line: string) => void;
}

export interface NotifyEndpoint {
  /** http://host:port/payments/notify */
  url: string;
  port: number;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startNotifyEndpoint(o: NotifyEndpointOptions): Promise<NotifyEndpoint> {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://connector').pathname;
    if (path !== NOTIFY_PATH) return answer(res, 404, { error: 'not_found' });
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return answer(res, 405, { error: 'method_not_allowed' });
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const bytes = declared > MAX_NOTIFICATION_BYTES ? null : await readBody(req, MAX_NOTIFICATION_BYTES);
    if (bytes === null) {
      res.setHeader('connection', 'close');
      return answer(res, 413, { error: 'too_large', reason: `at most ${MAX_NOTIFICATION_BYTES} bytes` });
    }
    let body: unknown;
    try {
      body = JSON.parse(bytes.toString('utf8'));
    } catch {
      return answer(res, 400, { error: 'bad_request', reason: 'the body is not JSON' });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return answer(res, 400, { error: 'bad_request', reason: 'the body is not a JSON object' });
    const n = verifyNotification(body, o.serverKey);
    if (!n) {
      o.log(
        `payment connector: refused a notification with a bad signature (order ${String((body as { order_id?: unknown }).order_id).slice(0, 60)})`,
      );
      return answer(res, 401, { error: 'unauthorized', reason: 'bad signature_key' });
    }
    try {
      await o.onNotification(n);
    } catch (e) {
      o.log(`payment connector: notification for ${n.order_id}: ${(e as Error).message}; polling will settle it`);
    }
    answer(res, 200, { ok: true });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      o.log(`payment connector: notification endpoint: ${(e as Error).message}`);
      if (!res.headersSent) answer(res, 500, { error: 'internal' });
      else res.end();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => o.log(`payment connector: notification endpoint: ${e.message}`));
  const port = (server.address() as AddressInfo).port;
  const host = o.host === '0.0.0.0' ? '127.0.0.1' : o.host;
  return {
    url: `http://${host}:${port}${NOTIFY_PATH}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
