// The X and Z reports for thermal paper: the same lines the screen shows (report-lines.ts).
import { formatRupiah } from '../../../design-docs/lib/money';
import type { ReportSection } from '../../../design-docs/lib/report-lines';

export interface ShiftReportModel {
  title: string;
  storeName: string;
  brandName: string;
  terminal: string;
  /** Who opened and closed, when: already in the reader's language. */
  lines: string[];
  sections: ReportSection[];
  label: (section: string, line?: ReportSection['lines'][number]) => string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function shiftReportHtml(m: ShiftReportModel, paperWidth: 58 | 80): string {
  const body = m.sections
    .map(
      (s) =>
        `<h2>${esc(m.label(s.key))}</h2><table>${s.lines
          .map(
            (l) =>
              `<tr${l.strong ? ' class="strong"' : ''}><td>${esc(m.label(s.key, l))}${l.count !== undefined ? ` (${l.count})` : ''}</td><td class="r">${esc(formatRupiah(l.amount))}</td></tr>`,
          )
          .join('')}</table>`,
    )
    .join('<hr>');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(m.title)}</title><style>
@page { size: ${paperWidth}mm auto; margin: 0; }
body { width: ${paperWidth === 58 ? 48 : 72}mm; margin: 0 auto; padding: 3mm 0; font: ${paperWidth === 58 ? 10 : 11}px/1.35 ui-monospace, 'DejaVu Sans Mono', monospace; color: #000; }
h1 { font-size: 1.3em; text-align: center; margin: 0; } h2 { font-size: 1.05em; margin: 1mm 0; } .c { text-align: center; }
.r { text-align: right; white-space: nowrap; } table { width: 100%; border-collapse: collapse; } hr { border: 0; border-top: 1px dashed #000; margin: 2mm 0; }
.strong td { font-weight: 700; }
</style></head><body><h1>${esc(m.title)}</h1><div class="c">${esc(m.brandName)} · ${esc(m.storeName)} · ${esc(m.terminal)}</div>
${m.lines.map((l) => `<div class="c">${esc(l)}</div>`).join('')}<hr>${body}</body></html>`;
}
