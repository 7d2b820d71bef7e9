// The provider simulator's pages for a person trying the demo: the open transactions with a
// "Bayar / Pay" button each, and one transaction's own page (the URL inside its QR payload).

export interface PageTransaction {
  order_id: string;
  amount: number;
  transaction_status: string;
  transaction_time: string;
  expiry_time: string;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const rupiah = (n: number) => `Rp ${n.toLocaleString('id-ID')}`;

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;max-width:56rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #ddd}
button{font-size:1rem;padding:.4rem 1rem;background:#0a7c3e;color:#fff;border:0;border-radius:.3rem;cursor:pointer}
.muted{color:#666}.state{font-weight:600}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function payButton(orderId: string): string {
  return `<form method="post" action="/simulator/pay/${encodeURIComponent(orderId)}"><button type="submit">Bayar / Pay</button></form>`;
}

/** `GET /simulator`: every transaction, newest first; pending ones can be paid. */
export function listPage(transactions: PageTransaction[], down: boolean): string {
  const rows = transactions
    .map(
      (t) => `<tr data-order-id="${esc(t.order_id)}"><td><code>${esc(t.order_id)}</code></td><td>${rupiah(t.amount)}</td>
<td class="state">${esc(t.transaction_status)}</td><td class="muted">${esc(t.transaction_time)}<br>${esc(t.expiry_time)}</td>
<td>${t.transaction_status === 'pending' ? payButton(t.order_id) : ''}</td></tr>`,
    )
    .join('\n');
  return page(
    'Simulator pembayaran / Payment simulator',
    `<h1>Simulator pembayaran QRIS / QRIS payment simulator</h1>
<p class="muted">Penyedia pembayaran tiruan untuk demo: tekan Bayar untuk membayar QR yang tampil di kios.<br>
A stand-in payment provider for the demo: press Pay to pay the QR code the kiosk shows.</p>
${down ? '<p class="state">Penyedia sedang mati (503) / The provider is down (503)</p>' : ''}
<table><thead><tr><th>Pesanan / Order</th><th>Jumlah / Amount</th><th>Status</th><th>Dibuat, kedaluwarsa / Created, expires (WIB)</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="5" class="muted">Belum ada transaksi / No transactions yet</td></tr>'}</tbody></table>`,
  );
}

/** `GET /simulator/pay/{order_id}`: one transaction, as a phone that scanned its QR would open it. */
export function payPage(t: PageTransaction | undefined): string {
  if (!t)
    return page(
      'Tidak ditemukan / Not found',
      '<h1>Transaksi tidak ditemukan / Transaction not found</h1><p><a href="/simulator">Kembali / Back</a></p>',
    );
  return page(
    `Bayar / Pay ${rupiah(t.amount)}`,
    `<h1>${rupiah(t.amount)}</h1><p>Pesanan / Order <code>${esc(t.order_id)}</code></p>
<p>Status: <span class="state">${esc(t.transaction_status)}</span></p>
${t.transaction_status === 'pending' ? payButton(t.order_id) : ''}<p><a href="/simulator">Semua transaksi / All transactions</a></p>`,
  );
}
