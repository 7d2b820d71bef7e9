import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from './deep-equal';

describe('jsonEqual', () => {
  const cases: [unknown, unknown][] = [
    [
      { a: 1, b: [1, { c: 'x' }] },
      { b: [1, { c: 'x' }], a: 1 },
    ],
    [{ a: 1 }, { a: 1, b: undefined }],
    [
      [1, 2],
      [2, 1],
    ],
    [{ roles: [] }, { roles: {} }],
    [null, {}],
    ['1', 1],
    [{ a: { b: null } }, { a: { b: null } }],
    [[], []],
    [
      { names: [], roles: ['_admin'] },
      { names: [], roles: ['_admin'] },
    ],
  ];
  it('answers as node:util isDeepStrictEqual does for JSON values', () => {
    for (const [a, b] of cases) expect(jsonEqual(a, b), JSON.stringify([a, b])).toBe(isDeepStrictEqual(a, b));
  });
});
