// A browser opens at most six connections to one server, for all its tabs together, and
// every live pull holds one open (a long poll). Two tabs of one terminal pulling three
// databases each hold all six, and the push of a new order then waits for ever. The tabs
// share one local database, so one of them pulls for all (PouchDB tells the others of what
// it writes); each still pushes its own orders, which takes a connection only for a moment.
// Without Web Locks (an old browser, a page that is not a secure context) every tab pulls.

/** Runs `lead` once this tab may pull; the returned function gives the turn back (or stops waiting for it). */
export function whenPullLeader(name: string, lead: () => void): () => void {
  if (!navigator.locks) {
    lead();
    return () => {};
  }
  const waiting = new AbortController();
  let release: (() => void) | null = null;
  navigator.locks
    .request(name, { signal: waiting.signal }, () => {
      lead();
      return new Promise<void>((resolve) => (release = resolve));
    })
    .catch(() => {
      // stopped while waiting: the request is aborted, nothing to do
    });
  return () => {
    waiting.abort();
    release?.();
  };
}
