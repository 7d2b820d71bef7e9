import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCouchPath, upstreamPath } from './canonical-path';

const refused = (raw: string) => expect(parseCouchPath(raw).ok, raw).toBe(false);

const tricky = fc.constantFrom('..', '.', '%2e%2E', '%2F', '%5c', '\\', '%25', '%', '_design', 'a%20b', '', '?', '#', '%3F', '+', '%2B');
const segment = fc.oneof(fc.string({ maxLength: 12 }), tricky, fc.webSegment());
const pathLike = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc
    .tuple(fc.array(segment, { maxLength: 6 }), fc.option(fc.webQueryParameters(), { nil: undefined }))
    .map(([segments, query]) => '/' + segments.join('/') + (query === undefined ? '' : `?${query}`)),
);

describe('the canonical path', () => {
  it('refuses every spelling that a second parser would resolve differently', () => {
    for (const raw of [
      '/x/..\\_replicator\\_find',
      '/x/..%5c_users%5c_find',
      '/x/../newdb',
      '/x/%2e%2e/newdb',
      '/x/%2E/y',
      '/lapak_a_b_ops/_design%2Flapak',
      '/lapak_a_b_ops/_index/_design%2flapak/json/v',
      '/a//b',
      '/a/%252e%252e',
      '/a/\u0000',
      '/a/%00',
      '/a/%0d%0aSet-Cookie:x',
      '/a/%zz',
      '/a?x=%zz',
      '/a?x=%0a',
      '/a#frag',
      'no-leading-slash',
      '/' + 'a'.repeat(9000),
    ])
      refused(raw);
  });

  it('keeps what Lapak’s clients send', () => {
    const ok = parseCouchPath('/lapak_yogya_bsd_ops/_changes?feed=longpoll&since=12-abc&filter=lapak%2Ffor_brand&brand=AYAM');
    expect(ok.ok && ok.path.segments).toEqual(['lapak_yogya_bsd_ops', '_changes']);
    expect(ok.ok && ok.path.query.get('filter')).toBe('lapak/for_brand');
    const slash = parseCouchPath('/lapak_yogya_bsd_ops/');
    expect(slash.ok && upstreamPath(slash.path)).toBe('/lapak_yogya_bsd_ops/');
    const root = parseCouchPath('/');
    expect(root.ok && upstreamPath(root.path)).toBe('/');
    const doc = parseCouchPath('/_users/org.couchdb.user%3Aterminal.yogya.bsd.KIOSK-01');
    expect(doc.ok && doc.path.segments[1]).toBe('org.couchdb.user:terminal.yogya.bsd.KIOSK-01');
    const local = parseCouchPath('/lapak_a_b_ops/_local/_ynS4qsvhSj6oFtb0O3Sqw%3D%3D');
    expect(local.ok && local.path.segments[2]).toBe('_ynS4qsvhSj6oFtb0O3Sqw==');
  });

  it('forwards a path that parses back to the very segments it checked', () => {
    fc.assert(
      fc.property(pathLike, (raw) => {
        const first = parseCouchPath(raw);
        if (!first.ok) return;
        const again = parseCouchPath(upstreamPath(first.path));
        expect(again.ok).toBe(true);
        if (!again.ok) return;
        expect(again.path.segments).toEqual(first.path.segments);
        expect([...again.path.query]).toEqual([...first.path.query]);
        // What goes upstream has nothing a URL parser would rewrite.
        expect(upstreamPath(first.path)).not.toMatch(/\\|\/\.\.?(\/|$|\?)|\/\//);
        expect(new URL('http://h' + upstreamPath(first.path)).pathname).toBe(upstreamPath(first.path).split('?')[0]);
      }),
      { numRuns: 3000 },
    );
  });
});
