// Runs compiled design-document source the way a view server does: evaluated from its
// text in a fresh context, with nothing from Node in scope. Used by the unit tests.
import { runInNewContext } from 'node:vm';

export type ValidateFn = (newDoc: unknown, oldDoc: unknown, userCtx: unknown, secObj?: unknown) => void;

export function loadValidate(source: string): ValidateFn {
  return runInNewContext(`(${source})`, {}) as ValidateFn;
}

export function loadMap(source: string): (doc: unknown) => Array<[unknown, unknown]> {
  const emitted: Array<[unknown, unknown]> = [];
  const fn = runInNewContext(`(${source})`, { emit: (k: unknown, v: unknown) => emitted.push([k, v]) }) as (doc: unknown) => void;
  return (doc) => {
    emitted.length = 0;
    fn(doc);
    return emitted.slice();
  };
}

/** What CouchDB answers when validate throws: 401/403 with the reason, or ok. */
export function outcome(fn: ValidateFn, newDoc: unknown, oldDoc: unknown, userCtx: unknown): { status: 'ok' | 401 | 403; reason?: string } {
  try {
    fn(newDoc, oldDoc, userCtx, {});
    return { status: 'ok' };
  } catch (e) {
    const err = e as { forbidden?: string; unauthorized?: string };
    if (err.forbidden) return { status: 403, reason: err.forbidden };
    if (err.unauthorized) return { status: 401, reason: err.unauthorized };
    throw e;
  }
}
