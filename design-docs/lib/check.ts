// A tiny collector of structure errors. Kept dependency-free and ES2017-clean because it is
// compiled into CouchDB validate functions as well as used by the app before it saves.

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
export const DOC_KEY = /^[A-Za-z0-9_-]{1,64}$/;

export class Check {
  readonly errors: string[] = [];
  constructor(private readonly doc: Record<string, unknown>) {}

  private fail(field: string, message: string): void {
    this.errors.push(`${field} ${message}`);
  }

  get(field: string): unknown {
    return this.doc[field];
  }

  string(field: string, opts: { max?: number; pattern?: RegExp; optional?: boolean; min?: number } = {}): void {
    const v = this.doc[field];
    if (v === undefined && opts.optional) return;
    if (typeof v !== 'string') return this.fail(field, 'must be a string');
    if (v.length < (opts.min ?? 1)) return this.fail(field, 'must not be empty');
    if (v.length > (opts.max ?? 200)) return this.fail(field, `must be at most ${opts.max ?? 200} characters`);
    if (opts.pattern && !opts.pattern.test(v)) this.fail(field, `has an invalid format ("${v}")`);
  }

  equals(field: string, expected: unknown): void {
    if (this.doc[field] !== expected) this.fail(field, `must be ${JSON.stringify(expected)}`);
  }

  oneOf(field: string, values: readonly string[]): void {
    if (values.indexOf(this.doc[field] as string) === -1) this.fail(field, `must be one of ${values.join(', ')}`);
  }

  bool(field: string): void {
    if (typeof this.doc[field] !== 'boolean') this.fail(field, 'must be true or false');
  }

  /** Whole rupiah or whole counts: never floats. */
  int(field: string, opts: { min?: number; max?: number; optional?: boolean } = {}): void {
    const v = this.doc[field];
    if (v === undefined && opts.optional) return;
    if (!isInt(v)) return this.fail(field, 'must be a whole number');
    if (v < (opts.min ?? 0)) this.fail(field, `must be at least ${opts.min ?? 0}`);
    if (opts.max !== undefined && v > opts.max) this.fail(field, `must be at most ${opts.max}`);
  }

  time(field: string, opts: { optional?: boolean } = {}): void {
    const v = this.doc[field];
    if (v === undefined && opts.optional) return;
    if (typeof v !== 'string' || !ISO_UTC.test(v) || isNaN(Date.parse(v)))
      this.fail(field, 'must be an ISO-8601 UTC time such as 2026-01-20T08:15:00.000Z');
  }

  array(
    field: string,
    each: (item: Record<string, unknown>, c: Check, i: number) => void,
    opts: { min?: number; max?: number } = {},
  ): void {
    const v = this.doc[field];
    if (!Array.isArray(v)) return this.fail(field, 'must be a list');
    if (v.length < (opts.min ?? 0)) return this.fail(field, `must have at least ${opts.min} entries`);
    if (v.length > (opts.max ?? 500)) return this.fail(field, `must have at most ${opts.max ?? 500} entries`);
    v.forEach((item, i) => {
      if (!isObject(item)) return this.fail(`${field}[${i}]`, 'must be an object');
      const inner = new Check(item);
      each(item, inner, i);
      for (const e of inner.errors) this.errors.push(`${field}[${i}].${e}`);
    });
  }

  stringList(field: string, pattern: RegExp): void {
    const v = this.doc[field];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || !pattern.test(s))) this.fail(field, 'must be a list of identifiers');
  }

  custom(ok: boolean, field: string, message: string): void {
    if (!ok) this.fail(field, message);
  }
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && isFinite(v) && Math.floor(v) === v && Math.abs(v) <= 9007199254740991;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
