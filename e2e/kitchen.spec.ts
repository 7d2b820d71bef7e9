// The kitchen side of the store: tickets reach their own brand's display, bumps reach the
// ready board and the kiosk, and the store keeps cooking without central or the relay.
import { expect, test, type Page } from '@playwright/test';
import { control, e2eEnv, ordersAt } from './env';
import { kioskOrder, pairThroughWizard } from './terminal';

const ticket = (page: Page, number: string) => page.locator(`[data-testid="ticket"][data-number="${number}"]`);

test('a kiosk order appears on its brand’s kitchen display and on no other brand’s; bumps reach the board and the kiosk', async ({
  browser,
}) => {
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-GEPREK-01');
  const kitchen = await browser.newPage();
  await pairThroughWizard(kitchen, 'KITCHEN-GEPREK');
  const other = await browser.newPage();
  await pairThroughWizard(other, 'KITCHEN-MIE');
  const board = await browser.newPage();
  await pairThroughWizard(board, 'BOARD-01');
  await expect(kitchen.getByTestId('last-heard')).toBeVisible();

  const number = await kioskOrder(kiosk, { name: 'Dewi' });
  await expect(ticket(kitchen, number)).toBeVisible({ timeout: 10_000 });
  await expect(ticket(kitchen, number)).toContainText('Dewi');
  await expect(ticket(kitchen, number)).toContainText('Level');
  await expect(board.getByTestId('board-preparing').locator(`[data-number="${number}"]`)).toBeVisible();
  await kitchen.screenshot({ path: 'docs/screenshots/kitchen-display.png' });
  await expect(ticket(other, number)).toHaveCount(0);

  await ticket(kitchen, number).getByRole('button', { name: 'Mulai masak' }).click();
  await expect(ticket(kitchen, number)).toHaveAttribute('data-status', 'preparing');
  await ticket(kitchen, number).getByRole('button', { name: 'Siap' }).click();
  await expect(board.getByTestId('board-ready').locator(`[data-number="${number}"]`)).toBeVisible({ timeout: 10_000 });
  await board.screenshot({ path: 'docs/screenshots/ready-board.png' });
  await expect(kiosk.getByTestId('kitchen-status')).toHaveText('Siap diambil', { timeout: 10_000 });

  await kitchen.getByRole('button', { name: /Kembalikan tiket terakhir/ }).click();
  await expect(ticket(kitchen, number)).toHaveAttribute('data-status', 'preparing');
  await expect(board.getByTestId('board-preparing').locator(`[data-number="${number}"]`)).toBeVisible({ timeout: 10_000 });
  for (const p of [kiosk, kitchen, other, board]) await p.close();
});

test('with central down the store keeps selling and cooking, and catches up later', async ({ browser }) => {
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-NASGR-01');
  const kitchen = await browser.newPage();
  await pairThroughWizard(kitchen, 'KITCHEN-NASGR');
  await control('stop/central');
  try {
    const number = await kioskOrder(kiosk);
    await expect(ticket(kitchen, number)).toBeVisible({ timeout: 10_000 });
    await expect(kitchen.getByTestId('stale-warning')).toHaveCount(0);
    await ticket(kitchen, number).getByRole('button', { name: 'Mulai masak' }).click();
    await control('start/central');
    await expect
      .poll(async () => (await ordersAt('central', 'KIOSK-NASGR-01')).some((o) => o.number === number), { timeout: 30_000 })
      .toBe(true);
  } finally {
    await control('start/central');
  }
  await kiosk.close();
  await kitchen.close();
});

test('with the relay down ordering and cooking go on and presence is unknown, then it recovers', async ({ browser }) => {
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-MIE-01');
  const kitchen = await browser.newPage();
  await pairThroughWizard(kitchen, 'KITCHEN-MIE');
  const manager = await browser.newPage();
  await manager.goto(`${e2eEnv().storeUrl}/presence`);
  await manager.getByLabel('Nama pengguna').fill(e2eEnv().storeAdmin.name);
  await manager.getByLabel('Kata sandi').fill(e2eEnv().storeAdmin.password);
  await manager.getByRole('button', { name: 'Masuk' }).click();
  const relay = manager.getByTestId('relay-status');
  await expect(relay).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  const kioskRow = manager.locator('tr[data-terminal="KIOSK-MIE-01"] [data-col="online"]');
  await expect(kioskRow).toHaveText('Online', { timeout: 15_000 });
  await manager.screenshot({ path: 'docs/screenshots/presence.png' });

  await control('relay/stop');
  try {
    await expect(relay).toHaveAttribute('data-state', 'unknown', { timeout: 15_000 });
    await expect(kioskRow).toHaveText('Tidak diketahui');
    const number = await kioskOrder(kiosk);
    await expect(ticket(kitchen, number)).toBeVisible({ timeout: 10_000 });
    await ticket(kitchen, number).getByRole('button', { name: 'Mulai masak' }).click();
    await expect(ticket(kitchen, number)).toHaveAttribute('data-status', 'preparing');
  } finally {
    await control('relay/start');
  }
  await expect(relay).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect(kioskRow).toHaveText('Online', { timeout: 20_000 });
  for (const p of [kiosk, kitchen, manager]) await p.close();
});

test('two kitchen displays bumping the same ticket while cut off converge, with no conflicts', async ({ browser }) => {
  const kiosk = await browser.newPage();
  await pairThroughWizard(kiosk, 'KIOSK-GEPREK-01');
  const a = await browser.newPage();
  await pairThroughWizard(a, 'KITCHEN-GEPREK');
  const b = await browser.newPage();
  await pairThroughWizard(b, 'KITCHEN-GEPREK-02');
  const number = await kioskOrder(kiosk, { name: 'Eko' });
  await expect(ticket(a, number)).toBeVisible({ timeout: 10_000 });
  await expect(ticket(b, number)).toBeVisible({ timeout: 10_000 });

  await a.context().setOffline(true);
  await b.context().setOffline(true);
  await ticket(a, number).getByRole('button', { name: 'Mulai masak' }).click();
  await ticket(a, number).getByRole('button', { name: 'Siap' }).click();
  await ticket(b, number).getByRole('button', { name: 'Mulai masak' }).click();
  await expect(ticket(a, number)).toHaveAttribute('data-status', 'ready');
  await expect(ticket(b, number)).toHaveAttribute('data-status', 'preparing');
  await a.context().setOffline(false);
  await b.context().setOffline(false);

  await expect(ticket(a, number)).toHaveAttribute('data-status', 'ready', { timeout: 20_000 });
  await expect(ticket(b, number)).toHaveAttribute('data-status', 'ready', { timeout: 20_000 });
  const c = e2eEnv().storeCouch;
  const res = await fetch(`${c.url}/lapak_yogya_bsd_ops/_all_docs?include_docs=true&conflicts=true`, {
    headers: { authorization: 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64') },
  });
  const rows = ((await res.json()) as { rows: { doc: { _conflicts?: string[] } }[] }).rows;
  expect(rows.filter((r) => r.doc._conflicts?.length)).toEqual([]);
  for (const p of [kiosk, a, b]) await p.close();
});
