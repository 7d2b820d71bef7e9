// Order numbers must be unique within a store without coordination; this view lets the
// store and HQ see any number used twice (seed scenario 4) and who used it.
export default function (doc: Record<string, unknown>): void {
  if (doc.type === 'order') emit(doc.number, doc.terminal);
}
