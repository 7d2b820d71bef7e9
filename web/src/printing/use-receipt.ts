// Prints an order's receipt on this terminal's paper width, in the current language.
import type { Order } from '../../../design-docs/lib/types';
import { useCatalog } from '../catalog/catalog-store';
import { useTerminal } from '../device/terminal-store';
import { useLocale } from '../i18n/locale';
import { useOrders } from '../orders/orders-store';
import { printHtml, receiptHtml } from './receipt';

export function useReceipt() {
  const terminal = useTerminal();
  const orders = useOrders();
  const catalog = useCatalog();
  const locale = useLocale();

  function html(order: Order): string {
    const c = terminal.config!;
    const t = locale.t;
    return receiptHtml(
      {
        storeName: c.storeName,
        tenantName: catalog.store?.tenant_name ?? '',
        brandName: c.brandName,
        terminal: c.code,
        order,
        payments: orders.payments[order._id] ?? [],
        voided: orders.status(order).voided,
        labels: {
          subtotal: t('subtotal'),
          discount: t('discount'),
          serviceCharge: t('serviceCharge'),
          tax: t('tax'),
          total: t('total'),
          thanks: t('receiptThanks'),
          paidWith: t('receiptPaidWith'),
          unpaid: t('receiptUnpaid'),
          change: t('change'),
          dineIn: t('dineIn'),
          takeaway: t('takeaway'),
          voided: t('voided'),
        },
        locale: locale.locale,
        timeZone: catalog.store?.timezone,
      },
      c.paperWidth,
    );
  }

  return { html, print: (order: Order) => printHtml(html(order)) };
}
