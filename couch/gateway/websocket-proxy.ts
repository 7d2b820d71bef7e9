// Passes WebSocket upgrades for /relay/... through to the edge relay on loopback, headers
// (cookie, authorization) and all: the relay authenticates the connection itself.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export function proxyUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, target: { host: string; port: number }): void {
  const upstream: Socket = connect(target.port, target.host, () => {
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    // The relay limits connections per address: it must see the client's, never one the client claims.
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      if (req.rawHeaders[i]!.toLowerCase() !== 'x-forwarded-for') lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    lines.push(`X-Forwarded-For: ${req.socket.remoteAddress ?? ''}`);
    upstream.write(lines.join('\r\n') + '\r\n\r\n');
    if (head.length) upstream.write(new Uint8Array(head));
    upstream.pipe(client).pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    client.destroy();
  };
  upstream.on('error', () => {
    if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    close();
  });
  client.on('error', close);
  upstream.on('close', () => client.destroy());
  client.on('close', () => upstream.destroy());
}
