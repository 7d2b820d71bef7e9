// When each order reaches the store server: a longpoll _changes loop read as admin straight
// from the store database server (not through the gateway), timed when each answer has fully
// arrived. Splits the Lapak latency into kiosk -> store server and store server -> kitchen.
// (Longpoll, because PouchDB Server's feed=continuous does not stream new changes.)
import { performance } from 'node:perf_hooks';

export interface StoreWatch {
  /** Order number -> epoch ms (this process's clock) when the store's changes feed answered with it. */
  arrivals: Map<string, number>;
  stop(): void;
}

interface ChangesAnswer {
  results: { doc?: { type?: string; number?: string } }[];
  last_seq: string | number;
}

export async function watchStore(couch: { url: string; admin: { username: string; password: string } }, db: string): Promise<StoreWatch> {
  const arrivals = new Map<string, number>();
  const abort = new AbortController();
  const headers = { authorization: 'Basic ' + Buffer.from(`${couch.admin.username}:${couch.admin.password}`).toString('base64') };
  const base = `${couch.url}/${encodeURIComponent(db)}`;
  const info = (await (await fetch(base, { headers })).json()) as { update_seq: string | number };
  let since = info.update_seq;
  void (async () => {
    while (!abort.signal.aborted) {
      const url = `${base}/_changes?feed=longpoll&include_docs=true&timeout=20000&since=${encodeURIComponent(String(since))}`;
      const res = await fetch(url, { headers, signal: abort.signal });
      const answer = (await res.json()) as ChangesAnswer;
      const at = performance.timeOrigin + performance.now();
      for (const r of answer.results)
        if (r.doc?.type === 'order' && r.doc.number && !arrivals.has(r.doc.number)) arrivals.set(r.doc.number, at);
      since = answer.last_seq;
    }
  })().catch(() => {});
  return { arrivals, stop: () => abort.abort() };
}
