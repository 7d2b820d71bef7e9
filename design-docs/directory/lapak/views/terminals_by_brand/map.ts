export default function (doc: Record<string, unknown>): void {
  if (doc.type === 'terminal') emit([doc.brand, doc.code], { type: doc.terminal_type, active: doc.active });
}
