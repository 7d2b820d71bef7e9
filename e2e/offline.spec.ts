// The store server goes down and the tablet goes offline; the app reloads from its service
// worker, takes three orders, and every one of them arrives exactly once when both return.
import { expect, test } from '@playwright/test';

// Whatever happens in the test, the next test gets its store server back.
test.afterEach(async () => {
  await control('start/store');
});
import { control, ordersAt } from './env';
import { kioskOrder, pairThroughWizard } from './terminal';

test('three orders taken with the store server down and the tablet offline each arrive exactly once', async ({ page, context }) => {
  test.setTimeout(180_000);
  await pairThroughWizard(page, 'KIOSK-NASGR-01');
  await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  // The menu has reached the tablet (it cannot be ordered from otherwise).
  await page.getByTestId('kiosk-welcome').click();
  await expect(page.locator('[data-testid^="product-"]').first()).toBeVisible();

  await control('stop/store');
  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByTestId('kiosk-welcome')).toBeVisible();
    const numbers: string[] = [];
    for (const name of ['Andi', 'Bayu', 'Citra']) {
      numbers.push(await kioskOrder(page, { name }));
      await page.getByRole('button', { name: 'Pesanan baru' }).click();
    }
    await page.getByTestId('kiosk-welcome').click();
    await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-state', 'offline');
    await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '3');
    await page.screenshot({ path: 'docs/screenshots/kiosk-offline.png' });
    expect(new Set(numbers).size).toBe(3);

    await control('start/store');
    await context.setOffline(false);
    await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
    await expect
      .poll(
        async () =>
          (await ordersAt('store', 'KIOSK-NASGR-01'))
            .map((o) => o.number)
            .filter((n) => numbers.includes(n))
            .sort(),
        { timeout: 30_000 },
      )
      .toEqual([...numbers].sort());
    await expect
      .poll(
        async () =>
          (await ordersAt('central', 'KIOSK-NASGR-01'))
            .map((o) => o.number)
            .filter((n) => numbers.includes(n))
            .sort(),
        { timeout: 30_000 },
      )
      .toEqual([...numbers].sort());
  } finally {
    await context.setOffline(false);
  }
});
