// One report, three renderings: the cashier's X and Z screens, their printout and their CSV all
// take these lines from an accounting summary, so they cannot disagree.
import type { Summary } from './accounting';
import { PAYMENT_METHODS } from './types';

export interface ReportLine {
  /** A message key (messages.ts `report.*`), with the method for per-method lines. */
  key: string;
  method?: string;
  amount: number;
  /** A count beside the amount (orders, voids, refunds). */
  count?: number;
  strong?: boolean;
}

export interface ReportSection {
  key: string;
  lines: ReportLine[];
}

/** What goes out of the till, shown negative (and 0, not -0, when nothing did). */
const out = (n: number) => (n === 0 ? 0 : -n);

export function reportSections(s: Summary, drawer?: { counted: number } | null): ReportSection[] {
  const sections: ReportSection[] = [
    {
      key: 'sales',
      lines: [
        { key: 'gross', amount: s.gross, count: s.orders },
        { key: 'discounts', amount: out(s.discounts) },
        { key: 'net', amount: s.net, strong: true },
        { key: 'service', amount: s.service },
        { key: 'tax', amount: s.tax },
        { key: 'total', amount: s.total, strong: true },
        { key: 'voids', amount: s.voids.amount, count: s.voids.count },
        { key: 'unpaid', amount: s.unpaid.amount, count: s.unpaid.count },
      ],
    },
    {
      key: 'payments',
      lines: [
        ...PAYMENT_METHODS.map((m) => ({ key: 'paidBy', method: m, amount: s.payments.byMethod[m] })),
        { key: 'collected', amount: s.payments.collected, count: s.payments.count, strong: true },
        ...PAYMENT_METHODS.filter((m) => s.refunds.byMethod[m] > 0).map((m) => ({
          key: 'refundedBy',
          method: m,
          amount: out(s.refunds.byMethod[m]),
        })),
        { key: 'refunds', amount: out(s.refunds.refunded), count: s.refunds.count },
        { key: 'netCollected', amount: s.payments.collected - s.refunds.refunded, strong: true },
      ],
    },
    {
      key: 'drawer',
      lines: [
        { key: 'float', amount: s.cash.float },
        { key: 'cashSales', amount: s.cash.sales },
        { key: 'cashRefunds', amount: out(s.cash.refunds) },
        { key: 'payIns', amount: s.cash.payIns },
        { key: 'payOuts', amount: out(s.cash.payOuts) },
        { key: 'expected', amount: s.cash.expected, strong: true },
        ...(drawer
          ? [
              { key: 'counted', amount: drawer.counted, strong: true },
              { key: 'difference', amount: drawer.counted - s.cash.expected, strong: true },
            ]
          : []),
      ],
    },
  ];
  return sections;
}

function cell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The same lines as CSV: section, line, method, count, amount in whole rupiah. */
export function reportCsv(sections: ReportSection[]): string {
  const rows = [['section', 'line', 'method', 'count', 'amount_idr']];
  for (const sec of sections)
    for (const l of sec.lines) rows.push([sec.key, l.key, l.method ?? '', l.count === undefined ? '' : String(l.count), String(l.amount)]);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
