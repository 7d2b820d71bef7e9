// Provided by CouchDB's and PouchDB's view servers to map functions.
declare function emit(key: unknown, value?: unknown): void;
