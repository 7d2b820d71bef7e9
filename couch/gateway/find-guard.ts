// Mango queries from non-admins: only those an index serves. A `$regex` is evaluated against
// every candidate document, and a query no index serves scans the whole database; on the
// single-threaded embedded server either blocks every store terminal for seconds.
const EXPENSIVE = ['$regex', '$where', '$text'];
export const MAX_FIND_LIMIT = 10_000;

function expensiveOperator(value: unknown, depth = 0): string | null {
  if (depth > 20) return 'nesting';
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = expensiveOperator(v, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (EXPENSIVE.includes(k)) return k;
      const found = expensiveOperator(v, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** Why this _find body is refused before the server sees it, or null. */
export function findRefusal(body: Buffer): string | null {
  let query: { selector?: unknown; limit?: unknown };
  try {
    query = JSON.parse(body.toString('utf8')) as typeof query;
  } catch {
    return 'The query is not JSON.';
  }
  if (!query || typeof query !== 'object' || !query.selector || typeof query.selector !== 'object')
    return 'The query needs a "selector" object.';
  const op = expensiveOperator(query.selector);
  if (op === 'nesting') return 'The selector is nested too deeply.';
  if (op) return `The selector uses ${op}, which scans every document: query by an indexed field instead.`;
  if (query.limit !== undefined && (typeof query.limit !== 'number' || query.limit > MAX_FIND_LIMIT))
    return `The query asks for more than ${MAX_FIND_LIMIT} documents: page through them with a smaller "limit".`;
  return null;
}

/** `_explain`'s answer: a query served by no index runs on `_all_docs` ("special"). */
export function usesIndex(explain: unknown): boolean {
  const index = (explain as { index?: { type?: unknown } } | null)?.index;
  return !!index && typeof index.type === 'string' && index.type !== 'special';
}
