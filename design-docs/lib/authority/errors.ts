// CouchDB turns a thrown {forbidden} into 403 and {unauthorized} into 401; the message
// reaches the client, so it says what is wrong and what to do.
export function forbid(message: string): never {
  throw { forbidden: message };
}

export function requireLogin(what: string): never {
  throw { unauthorized: `Log in to ${what}.` };
}

export function requireStructure(doc: Record<string, unknown>, errors: string[]): void {
  if (errors.length > 0) forbid(`Invalid ${String(doc.type)} document ${String(doc._id)}: ${errors.join('; ')}.`);
}

export function requireType(doc: Record<string, unknown>, allowed: string[], dbLabel: string): void {
  if (doc._deleted === true) return;
  if (allowed.indexOf(doc.type as string) === -1)
    forbid(`A ${dbLabel} database holds only ${allowed.join(', ')} documents, not "${String(doc.type)}".`);
}

/** What a validate function gets as the stored document: null for a new or previously deleted one. */
export function live(oldDoc: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  return oldDoc && oldDoc._deleted !== true ? oldDoc : null;
}
