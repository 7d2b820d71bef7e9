// Reads a request body up to a limit; null when it is larger (the rest is not read).
import type { IncomingMessage } from 'node:http';

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Uint8Array).length;
    if (size > limit) return null;
    chunks.push(c as Uint8Array);
  }
  return Buffer.concat(chunks);
}
