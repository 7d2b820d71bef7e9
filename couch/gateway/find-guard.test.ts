import { describe, expect, it } from 'vitest';
import { findRefusal, usesIndex } from './find-guard';

const q = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('Mango queries from non-admins', () => {
  it('refuses $regex anywhere, missing selectors and huge limits', () => {
    expect(findRefusal(q({ selector: { name: { $regex: '(a+)+$' } } }))).toMatch(/\$regex/);
    expect(findRefusal(q({ selector: { $or: [{ type: 'order' }, { note: { $regex: 'x' } }] } }))).toMatch(/\$regex/);
    expect(findRefusal(q({ fields: ['a'] }))).toMatch(/selector/);
    expect(findRefusal(Buffer.from('{not json'))).toMatch(/not JSON/);
    expect(findRefusal(q({ selector: { type: 'void' }, limit: 1e9 }))).toMatch(/smaller "limit"/);
    expect(findRefusal(q({ selector: { type: 'void', created_at: { $gte: '2026-01-01' } }, limit: 100 }))).toBeNull();
  });

  it('tells an indexed plan from a full scan', () => {
    expect(usesIndex({ index: { ddoc: '_design/lapak-find', name: 'by-type-created', type: 'json' } })).toBe(true);
    expect(usesIndex({ index: { ddoc: null, name: '_all_docs', type: 'special' } })).toBe(false);
    expect(usesIndex(null)).toBe(false);
  });
});
