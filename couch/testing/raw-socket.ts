// Bytes on a TCP socket, as a hostile client sends them: no URL parsing, no header
// validation, no well-behaved closing. For the gateway's hostile and fuzz tests.
import { connect } from 'node:net';

/** Sends `bytes` and resolves with the HTTP status of the answer (0: none, the connection was closed). */
export function sendBytes(base: string, bytes: string | Buffer, timeoutMs = 10_000): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    let answer = '';
    // An interim answer (100 Continue to an Expect header) precedes the real one.
    const dropInterim = () => {
      answer = answer.replace(/^(?:HTTP\/1\.[01] 1\d\d[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n)+/, '');
    };
    const done = () => {
      dropInterim();
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      resolve(m ? Number(m[1]) : 0);
    };
    socket.setTimeout(timeoutMs, done);
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      dropInterim();
      if (/\r\n\r\n/.test(answer)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(typeof bytes === 'string' ? bytes : new Uint8Array(bytes));
  });
}

/** An HTTP/1.1 request with the path exactly as given. */
export function rawRequest(base: string, method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<number> {
  const { host } = new URL(base);
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return sendBytes(base, `${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** Starts a request and resets the connection (TCP RST) once `bytes` are written. */
export function sendThenReset(base: string, bytes: string): Promise<void> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname, () => {
      socket.write(bytes, () => {
        socket.resetAndDestroy();
        resolve();
      });
    });
    socket.on('error', () => resolve());
  });
}

export function basicAuth(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
}
