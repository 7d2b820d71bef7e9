// Receipts for 58 mm and 80 mm thermal paper, as HTML with print CSS, printed from a hidden
// frame so the screen behind it does not change.
import { formatRupiah } from '../../../design-docs/lib/money';
import type { Order, Payment } from '../../../design-docs/lib/types';

export interface ReceiptModel {
  storeName: string;
  tenantName: string;
  brandName: string;
  terminal: string;
  order: Order;
  payments: Payment[];
  voided: boolean;
  labels: Record<
    | 'subtotal'
    | 'discount'
    | 'serviceCharge'
    | 'tax'
    | 'total'
    | 'thanks'
    | 'paidWith'
    | 'unpaid'
    | 'change'
    | 'dineIn'
    | 'takeaway'
    | 'voided',
    string
  >;
  locale: 'id' | 'en';
  timeZone?: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function row(label: string, amount: string, strong = false): string {
  return `<tr${strong ? ' class="strong"' : ''}><td>${esc(label)}</td><td class="r">${esc(amount)}</td></tr>`;
}

export function receiptHtml(m: ReceiptModel, paperWidth: 58 | 80): string {
  const o = m.order;
  const when = new Date(o.created_at).toLocaleString(m.locale === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: m.timeZone,
  });
  const items = o.items
    .map(
      (i) =>
        `<tr><td>${i.qty}× ${esc(i.name)}${i.modifiers.map((md) => `<div class="mod">+ ${esc(md.name)}${md.price ? ` ${esc(formatRupiah(md.price))}` : ''}</div>`).join('')}${i.note ? `<div class="mod">“${esc(i.note)}”</div>` : ''}</td><td class="r">${esc(formatRupiah(i.line_total))}</td></tr>`,
    )
    .join('');
  const totals = [
    row(m.labels.subtotal, formatRupiah(o.subtotal)),
    ...o.promotions.map((p) => row(p.name, formatRupiah(-p.amount))),
    o.service_charge ? row(m.labels.serviceCharge, formatRupiah(o.service_charge)) : '',
    o.tax ? row(m.labels.tax, formatRupiah(o.tax)) : '',
    row(m.labels.total, formatRupiah(o.total), true),
  ].join('');
  const paid = m.payments.length
    ? m.payments
        .map(
          (p) =>
            row(
              `${m.labels.paidWith} ${p.method.toUpperCase()}${p.reference ? ` (${p.reference})` : ''}`,
              formatRupiah((p.writer === undefined && p.tendered) || p.amount),
            ) + (p.writer === undefined && p.change ? row(m.labels.change, formatRupiah(p.change)) : ''),
        )
        .join('')
    : `<tr><td colspan="2" class="c strong">${esc(m.labels.unpaid)}</td></tr>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(o.number)}</title><style>
@page { size: ${paperWidth}mm auto; margin: 0; }
body { width: ${paperWidth === 58 ? 48 : 72}mm; margin: 0 auto; padding: 3mm 0; font: ${paperWidth === 58 ? 10 : 11}px/1.35 ui-monospace, 'DejaVu Sans Mono', monospace; color: #000; }
h1 { font-size: 1.3em; text-align: center; margin: 0; } .c { text-align: center; } .r { text-align: right; white-space: nowrap; vertical-align: top; }
.num { font-size: 2.2em; font-weight: 700; text-align: center; margin: 2mm 0; } table { width: 100%; border-collapse: collapse; }
hr { border: 0; border-top: 1px dashed #000; margin: 2mm 0; } .mod { padding-left: 3mm; font-size: 0.9em; } .strong td, td.strong { font-weight: 700; }
</style></head><body>
<h1>${esc(m.brandName)}</h1><div class="c">${esc(m.storeName)} · ${esc(m.tenantName)}</div>
<hr><div class="num">${esc(o.number)}</div>
<div class="c">${esc(o.service === 'dine_in' ? m.labels.dineIn : m.labels.takeaway)}${o.customer_name ? ` · ${esc(o.customer_name)}` : ''}</div>
<div class="c">${esc(when)} · ${esc(m.terminal)}</div>${m.voided ? `<div class="c strong">${esc(m.labels.voided)}</div>` : ''}
<hr><table>${items}</table><hr><table>${totals}</table><hr><table>${paid}</table>
<hr><div class="c">${esc(m.labels.thanks)}</div></body></html>`;
}

/** Prints through a hidden iframe; resolves when the browser has taken the job. */
export function printHtml(html: string): Promise<void> {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.setAttribute('aria-hidden', 'true');
    frame.style.cssText = 'position:fixed;width:0;height:0;border:0;right:0;bottom:0;';
    frame.srcdoc = html;
    frame.onload = () => {
      try {
        frame.contentWindow?.print();
      } finally {
        setTimeout(() => {
          frame.remove();
          resolve();
        }, 500);
      }
    };
    document.body.appendChild(frame);
  });
}
