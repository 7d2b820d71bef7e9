// The setup wizard's four seed scenarios, and its other refusals, against the real store server.
import { expect, test } from '@playwright/test';
import { adminGet, e2eEnv, freshCode } from './env';
import { pairThroughWizard } from './terminal';

test('scenario 1 and 2: first setup binds this device; a restart re-validates silently', async ({ page }) => {
  await pairThroughWizard(page, 'KIOSK-GEPREK-01', { screenshots: true });
  await expect(page.getByTestId('kiosk-welcome')).toContainText('Ayam Geprek Boedjangan');
  const binding = await adminGet<{ device_id: string; device: { user_agent: string }; assigned_at: string }>(
    'store',
    'lapak_yogya_bsd_directory/binding%3AKIOSK-GEPREK-01',
  );
  expect(binding.body.device_id).toMatch(/^dev_[0-9a-f]{12}$/);
  expect(binding.body.device.user_agent).toContain('Chrome');
  await page.reload();
  await expect(page.getByTestId('kiosk-welcome')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/kiosk-welcome.png' });
});

test('scenario 3: a terminal bound to another device says since when and when last seen, and no second device can take it', async ({
  browser,
}) => {
  const code = await freshCode('KASIR-MIE-01');
  const first = await browser.newPage();
  await pairThroughWizard(first, 'KASIR-MIE-01', { code });
  const second = await browser.newPage(); // a new context: another device, with the code from the printed sheet
  await second.goto(`${e2eEnv().storeUrl}/setup?brand=MIEAYAM&terminal=KASIR-MIE-01&code=${code}`);
  await second.getByRole('button', { name: /Lanjut/ }).click();
  await second.getByRole('button', { name: 'Pasang terminal' }).click();
  const bound = second.getByTestId('already-bound');
  await expect(bound).toBeVisible();
  await expect(second.getByRole('heading', { name: 'Terminal sudah digunakan di perangkat lain' })).toBeVisible();
  // The public directory says the terminal is taken, never by which device (no id, no details).
  await expect(bound).not.toContainText(/dev_[0-9a-f]{12}/);
  await expect(bound).toContainText('Dipasang');
  await expect(bound).toContainText('Terakhir terlihat');
  await expect(bound.getByRole('button', { name: 'Gunakan terminal lain' })).toBeVisible();
  await bound.getByRole('button', { name: 'Hubungi admin' }).click();
  await expect(bound).toContainText('unassign');
  await second.screenshot({ path: 'docs/screenshots/setup-already-bound.png' });
  await second.close();
  await first.close();
});

test('scenario 4: an unknown brand lists the brands this store has', async ({ page }) => {
  await page.goto(`${e2eEnv().storeUrl}/setup?brand=BAKSO&terminal=KIOSK-BAKSO-01&code=AAAA-BBBB`);
  await page.getByRole('button', { name: /Lanjut/ }).click();
  await page.getByRole('button', { name: 'Pasang terminal' }).click();
  await expect(page.getByRole('heading', { name: 'Brand "BAKSO" tidak ada di toko ini.' })).toBeVisible();
  for (const b of ['AYAMGEPREK', 'NASGORENG', 'MIEAYAM']) await expect(page.getByRole('button', { name: new RegExp(b) })).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/setup-unknown-brand.png' });
  await page.getByRole('button', { name: /NASGORENG/ }).click();
  await expect(page.getByLabel('Kode brand')).toHaveValue('NASGORENG');
});

test('a wrong pairing code and an unreachable store server each get their own message', async ({ page, context }) => {
  await freshCode('KIOSK-MIE-01');
  await page.goto(`${e2eEnv().storeUrl}/setup?brand=MIEAYAM&terminal=KIOSK-MIE-01&code=WRNG-CODE`);
  await page.getByRole('button', { name: /Lanjut/ }).click();
  await page.getByRole('button', { name: 'Pasang terminal' }).click();
  await expect(page.getByRole('alert')).toContainText('Kode pemasangan salah atau sudah dipakai');
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Pasang terminal' }).click();
  await expect(page.getByRole('alert')).toContainText('Server toko tidak bisa dihubungi');
  await context.setOffline(false);
});

test('an inactive terminal is refused with its own message', async ({ page }) => {
  const c = e2eEnv().storeCouch;
  const auth = {
    authorization: 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64'),
    'content-type': 'application/json',
  };
  const doc = (await adminGet<Record<string, unknown>>('store', 'lapak_yogya_bsd_directory/terminal%3AKASIR-NASGR-01')).body;
  await fetch(`${c.url}/lapak_yogya_bsd_directory/terminal%3AKASIR-NASGR-01`, {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({ ...doc, active: false }),
  });
  try {
    await page.goto(`${e2eEnv().storeUrl}/setup?brand=NASGORENG&terminal=KASIR-NASGR-01&code=AAAA-BBBB`);
    await page.getByRole('button', { name: /Lanjut/ }).click();
    await page.getByRole('button', { name: 'Pasang terminal' }).click();
    await expect(page.getByRole('alert')).toContainText('sedang dinonaktifkan');
  } finally {
    const now = (await adminGet<Record<string, unknown>>('store', 'lapak_yogya_bsd_directory/terminal%3AKASIR-NASGR-01')).body;
    await fetch(`${c.url}/lapak_yogya_bsd_directory/terminal%3AKASIR-NASGR-01`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ ...now, active: true }),
    });
  }
});

test('a login lockout (429) says how long to wait, and the code still pairs afterwards', async ({ page }) => {
  const code = await freshCode('KIOSK-NASGR-01');
  // The gateway's answer to a flood of failed logins, for this one attempt.
  let lockedOut = true;
  await page.route('**/db/_users/**', async (route) => {
    if (!lockedOut) return route.fallback();
    lockedOut = false;
    await route.fulfill({
      status: 429,
      headers: { 'retry-after': '240', 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'too_many_requests', reason: 'Too many failed logins; try again later.', retry_after: 240 }),
    });
  });
  await page.goto(`${e2eEnv().storeUrl}/setup?brand=NASGORENG&terminal=KIOSK-NASGR-01&code=${code}`);
  await page.getByRole('button', { name: /Lanjut/ }).click();
  await page.getByRole('button', { name: 'Pasang terminal' }).click();
  await expect(page.getByRole('heading', { name: 'Terlalu banyak percobaan kode yang salah' })).toBeVisible();
  await expect(page.getByTestId('too-many-attempts')).toContainText('Tunggu 4 menit, lalu coba lagi');
  await expect(page.getByTestId('too-many-attempts')).toContainText('tetap berlaku');
  // After the wait the same code pairs: it was not spent.
  await page.getByRole('button', { name: 'Pasang terminal' }).click();
  await expect(page.getByTestId('done-terminal')).toContainText('KIOSK-NASGR-01');
});
