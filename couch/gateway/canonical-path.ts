// The one place where a request's URL is parsed. Everything after this works on the decoded
// segments, and the upstream URL is rebuilt from them, so what the allowlist checked is
// exactly what the database server receives: no second parser (URL's, the server's) gets
// to resolve "..", turn "\" into "/" or decode a "%2F" that the checks did not see.

export interface CanonicalPath {
  /** Decoded path segments after the /db prefix; [] is the server root. */
  segments: string[];
  /** PouchDB addresses a database as "/db/name/": kept, since CouchDB answers both forms alike. */
  trailingSlash: boolean;
  query: URLSearchParams;
}

export type ParseResult = { ok: true; path: CanonicalPath } | { ok: false; reason: string };

/** Bytes no Lapak path or query contains: controls, DEL, and the backslash that WHATWG URL parsing turns into "/". */
// eslint-disable-next-line no-control-regex -- control bytes are exactly what this refuses (or generates)
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;
const MAX_URL = 8 * 1024;

function refuse(reason: string): ParseResult {
  return { ok: false, reason: `${reason} Send the path as Lapak's apps do: plain segments, each percent-encoded once.` };
}

/** `raw` is what follows the /db prefix, query included ("" or "/..."). */
export function parseCouchPath(raw: string): ParseResult {
  if (raw.length > MAX_URL) return refuse('The address is too long.');
  const q = raw.indexOf('?');
  const pathPart = q === -1 ? raw : raw.slice(0, q);
  const queryPart = q === -1 ? '' : raw.slice(q + 1);
  if (raw.includes('#')) return refuse('The address contains a fragment ("#").');
  if (FORBIDDEN.test(raw)) return refuse('The address contains a backslash or a control character.');
  if (pathPart !== '' && !pathPart.startsWith('/')) return refuse('The address does not start with "/".');
  const rawSegments = pathPart.split('/').slice(1);
  const trailingSlash = rawSegments.length > 0 && rawSegments[rawSegments.length - 1] === '';
  if (trailingSlash) rawSegments.pop();
  const segments: string[] = [];
  for (const s of rawSegments) {
    if (s === '') return refuse('The address has an empty segment ("//").');
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      return refuse('The address has a malformed percent-encoding.');
    }
    if (decoded === '.' || decoded === '..') return refuse('The address has a "." or ".." segment.');
    if (decoded.includes('/')) return refuse('The address has an encoded "/" (%2F) inside a segment.');
    if (decoded.includes('%')) return refuse('The address is percent-encoded twice.');
    if (FORBIDDEN.test(decoded)) return refuse('The address contains an encoded backslash or control character.');
    segments.push(decoded);
  }
  let query: URLSearchParams;
  try {
    // Decoding each pair ourselves makes a malformed escape a refusal, not a silently mangled value.
    query = new URLSearchParams();
    for (const pair of queryPart.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = decodeURIComponent((eq === -1 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      const value = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
      // eslint-disable-next-line no-control-regex -- control bytes are exactly what this refuses (or generates)
      if (FORBIDDEN.test(key) || /[\u0000-\u001f\u007f]/.test(value)) return refuse('A query parameter contains a control character.');
      query.append(key, value);
    }
  } catch {
    return refuse('A query parameter has a malformed percent-encoding.');
  }
  return { ok: true, path: { segments, trailingSlash, query } };
}

/** The path and query sent upstream, rebuilt from what was checked. */
export function upstreamPath(path: CanonicalPath): string {
  const p = '/' + path.segments.map(encodeURIComponent).join('/') + (path.trailingSlash && path.segments.length > 0 ? '/' : '');
  const q = path.query.toString();
  return q ? `${p}?${q}` : p;
}
