// The two baselines the kiosk-to-kitchen benchmark compares Lapak with, as one small server:
//  - seeds: the seeds' design. The kiosk POSTs the order; the server saves it into the store
//    database (a PUT to the store CouchDB as admin, awaited) and then broadcasts it over a
//    WebSocket to the kitchen displays.
//  - floor: a bare WebSocket relay with no storage: the kiosk sends, the server forwards.
// It serves the kiosk and kitchen pages of both (`/kiosk?mode=seeds`, `/kitchen?mode=floor`).
import { createServer, type IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

export interface BaselineServer {
  url: string;
  close(): Promise<void>;
}

const KIOSK_PAGE = `<!doctype html><meta charset="utf-8"><title>baseline kiosk</title><body><p>baseline kiosk</p><script>
const mode = new URLSearchParams(location.search).get('mode');
const now = () => performance.timeOrigin + performance.now();
let ws = null;
window.__baselineReady = new Promise((resolve) => {
  if (mode !== 'floor') return resolve(true);
  ws = new WebSocket('ws://' + location.host + '/ws?role=kiosk');
  ws.onopen = () => resolve(true);
});
// Commit time is when the order leaves the page: in both designs the kiosk holds no copy.
window.__baseline = {
  async placeOrder(order) {
    const body = JSON.stringify(order);
    const committedAt = now();
    if (mode === 'floor') ws.send(body);
    else {
      const res = await fetch('/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (!res.ok) throw new Error('POST /orders: ' + res.status + ' ' + (await res.text()));
    }
    return { number: order.number, committedAt };
  },
};
</script>`;

const KITCHEN_PAGE = `<!doctype html><meta charset="utf-8"><title>baseline kitchen</title><body><main id="tickets"></main><script>
const list = document.getElementById('tickets');
const ws = new WebSocket('ws://' + location.host + '/ws?role=kitchen');
window.__baselineReady = new Promise((resolve) => (ws.onopen = () => resolve(true)));
ws.onmessage = (e) => {
  const order = JSON.parse(e.data);
  const el = document.createElement('article');
  el.setAttribute('data-testid', 'ticket');
  el.setAttribute('data-number', order.number);
  const h = document.createElement('h2');
  h.textContent = order.number + ' ' + order.customer_name;
  const ul = document.createElement('ul');
  for (const i of order.items) {
    const li = document.createElement('li');
    li.textContent = i.qty + '\\u00d7 ' + i.name + i.modifiers.map((m) => ', ' + m.name).join('');
    ul.append(li);
  }
  el.append(h, ul);
  list.prepend(el);
};
</script>`;

async function readBody(req: IncomingMessage): Promise<string> {
  req.setEncoding('utf8');
  let body = '';
  for await (const c of req) body += c as string;
  return body;
}

/** Starts on 127.0.0.1:port; `couch` is the store database server, written to as its admin. */
export async function startBaselineServer(opts: {
  port: number;
  couch: { url: string; admin: { username: string; password: string } };
  db: string;
}): Promise<BaselineServer> {
  const auth = 'Basic ' + Buffer.from(`${opts.couch.admin.username}:${opts.couch.admin.password}`).toString('base64');
  const kitchens = new Set<WebSocket>();
  const broadcast = (text: string) => {
    for (const k of kitchens) if (k.readyState === WebSocket.OPEN) k.send(text, { binary: false });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const page = url.pathname === '/kiosk' ? KIOSK_PAGE : url.pathname === '/kitchen' ? KITCHEN_PAGE : null;
    if (req.method === 'GET' && page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
      return;
    }
    if (req.method !== 'POST' || url.pathname !== '/orders') {
      res.writeHead(404).end();
      return;
    }
    void (async () => {
      const body = await readBody(req);
      const order = JSON.parse(body) as { _id: string };
      const put = await fetch(`${opts.couch.url}/${encodeURIComponent(opts.db)}/${encodeURIComponent(order._id)}`, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body,
      });
      const saved = await put.text();
      if (!put.ok) {
        res.writeHead(502, { 'content-type': 'application/json' }).end(saved);
        return;
      }
      broadcast(body);
      res.writeHead(201, { 'content-type': 'application/json' }).end(saved);
    })().catch((e: Error) => {
      if (!res.headersSent) res.writeHead(500).end(e.message);
    });
  });

  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws, req) => {
    if ((req.url ?? '').includes('role=kitchen')) {
      kitchens.add(ws);
      ws.on('close', () => kitchens.delete(ws));
    } else ws.on('message', (data) => broadcast(data.toString()));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${opts.port}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
