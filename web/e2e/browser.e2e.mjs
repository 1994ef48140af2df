// The web app in a real browser against a real `serve` (local preview agents), driven by playwright-core in
// Debian's Chromium. Run by standalone/src/test/java/com/reetik/standalone/WebAppBrowserIT.java, which owns the
// server: when this script prints "STEP <name>" it restarts the server as that step needs (same port, same data
// directory) and answers "ok" on stdin. Environment: BASE_URL, SCREENSHOT_DIR, DOWNLOAD_DIR, CHROMIUM.
//
// What a user would notice is asserted; every failure names the page and what was missing.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const base = required('BASE_URL');
const shots = required('SCREENSHOT_DIR');
const downloads = required('DOWNLOAD_DIR');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const VIDEO_TIMEOUT = 180_000;
mkdirSync(shots, { recursive: true });
mkdirSync(downloads, { recursive: true });

const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function log(message) {
  console.log(`[browser] ${message}`);
}

/** Asks the Java test to restart the server for the next step, and waits until it is back. */
async function step(name) {
  console.log(`STEP ${name}`);
  const { value, done } = await stdin.next();
  check(!done && value === 'ok', `the test did not confirm step ${name}: ${value}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  log(`screenshot ${name}.png`);
}

async function signUp(page, email) {
  await page.goto(`${base}/signup`);
  await page.getByLabel('Adresse e-mail', { exact: true }).fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill('a long password');
  await page.getByRole('button', { name: 'Créer mon compte', exact: true }).click();
  await page.getByRole('heading', { name: 'Créer une vidéo', exact: true }).waitFor();
}

async function logIn(page, email) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Adresse e-mail', { exact: true }).fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill('a long password');
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await page.getByRole('heading', { name: 'Créer une vidéo', exact: true }).waitFor();
}

/** Fills the create form, checks the estimate shown before sending, sends, and returns the new video's id. */
async function createVideo(page, theme, seconds, expectedBlocks) {
  await page.getByRole('link', { name: 'Créer', exact: true }).click();
  await page.getByLabel('Thème').fill(theme);
  await page.getByLabel('Durée cible (secondes)').fill(String(seconds));
  const blocks = page.getByTestId('estimate-blocks');
  await blocks.filter({ hasText: `${expectedBlocks} blocs` }).waitFor();
  const sent = page.waitForURL(/\/videos\/[^/]+$/);
  await page.getByRole('button', { name: 'Créer la vidéo', exact: true }).click();
  await sent;
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
}

async function waitForStatus(page, status) {
  try {
    await page.locator(`[data-testid="status"][data-status="${status}"]`).waitFor({ timeout: VIDEO_TIMEOUT });
  } catch (error) {
    // What the page showed instead: its status, its connection, and a screenshot.
    const shown = await page.getByTestId('status').getAttribute('data-status').catch(() => 'none');
    const connection = await page.getByTestId('connection').getAttribute('data-connection').catch(() => 'none');
    await shot(page, `failure-waiting-for-${status}`);
    throw new Error(`${page.url()} never showed ${status}: status ${shown}, connection ${connection}; ${error.message}`);
  }
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
try {
  const stamp = Date.now();
  const owner = `owner-${stamp}@example.com`;
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, reducedMotion: 'reduce' });
  const page = await desktop.newPage();
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/api/videos/')) {
      log(`${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`);
    }
  });

  // Signing up; the app opens at / (redirected to log in) and is French by default.
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Connexion', exact: true }).waitFor();
  check((await page.getAttribute('html', 'lang')) === 'fr', 'the page is not French by default');
  await shot(page, 'login-desktop');
  await signUp(page, owner);

  // Creating an 8 s video: 2 blocks of 4 s announced before sending.
  await page.getByLabel('Thème').fill('Les volcans d\'Islande');
  await page.getByLabel('Durée cible (secondes)').fill('8');
  await page.getByTestId('estimate-blocks').filter({ hasText: '2 blocs' }).waitFor();
  await shot(page, 'create-desktop');
  const videoId = await createVideo(page, 'Les volcans d\'Islande', 8, 2);
  log(`created ${videoId}`);

  // Watching it: the seed's steps arrive, the bar fills, every block ends done.
  await waitForStatus(page, 'completed');
  check((await page.getByTestId('status').innerText()).trim() === 'Terminé', 'the last step is not "Terminé"');
  const steps = await page.getByTestId('step-log').innerText();
  for (const expected of ['Génération du script', 'Assemblage', 'Terminé']) {
    check(steps.includes(expected), `the step log misses "${expected}": ${steps}`);
  }
  check(/Génération vidéos \(\d\/2 blocs\)/.test(steps), `the step log has no block progress: ${steps}`);
  check((await page.getByRole('progressbar').getAttribute('aria-valuenow')) === '100', 'the progress bar is not full');
  const states = await page.getByTestId('block').evaluateAll((cells) => cells.map((c) => c.dataset.state));
  check(states.length === 2 && states.every((s) => s === 'completed'), `the block grid is not all done: ${states}`);
  await page.getByLabel('Vidéo générée').waitFor();
  await shot(page, 'progress-desktop');

  // The library: the video with its poster, played in place, downloaded.
  await page.getByRole('link', { name: 'Bibliothèque', exact: true }).click();
  const item = page.locator(`[data-testid="library-item"][data-video-id="${videoId}"]`);
  await item.waitFor();
  const poster = item.getByRole('img');
  await poster.waitFor();
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await poster.elementHandle());
  await shot(page, 'library-desktop');
  await item.getByRole('button', { name: 'Lire', exact: true }).click();
  const video = item.locator('video');
  await video.waitFor();
  await page.waitForFunction((v) => v.readyState >= 1 && Number.isFinite(v.duration), await video.elementHandle(),
    { timeout: 30_000 });
  const duration = await video.evaluate((v) => v.duration);
  check(duration > 7.5 && duration < 8.6, `the video lasts ${duration} s, not about 8 s`);
  await video.evaluate((v) => { v.muted = true; return v.play(); });
  await page.waitForFunction((v) => v.currentTime > 0.5, await video.elementHandle(), { timeout: 30_000 });
  log(`played: duration ${duration.toFixed(2)} s, advancing`);
  // with its subtitles: the player's <track> loaded the video's WebVTT cues, the first from the start
  const cues = await page.waitForFunction((v) => {
    const track = v.textTracks[0];
    return track && track.cues && track.cues.length > 0
      ? { count: track.cues.length, start: track.cues[0].startTime, mode: track.mode } : null;
  }, await video.elementHandle(), { timeout: 30_000 }).then((h) => h.jsonValue());
  check(cues.count >= 2 && cues.start === 0 && cues.mode === 'showing', `the subtitles are not shown: ${JSON.stringify(cues)}`);
  log(`subtitles: ${cues.count} cues, showing`);
  await shot(page, 'library-playing-desktop');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    item.getByRole('link', { name: 'Télécharger', exact: true }).click(),
  ]);
  const file = join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  const bytes = readFileSync(file);
  check(statSync(file).size > 10_000 && bytes.subarray(4, 8).toString('latin1') === 'ftyp',
    `the download ${file} is not an MP4 (${statSync(file).size} bytes)`);
  log(`downloaded ${download.suggestedFilename()} (${bytes.length} bytes)`);

  // Another user sees nothing of it.
  const strangerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const stranger = await strangerContext.newPage();
  await signUp(stranger, `stranger-${stamp}@example.com`);
  await stranger.getByRole('link', { name: 'Bibliothèque', exact: true }).click();
  await stranger.getByTestId('library-empty').waitFor();
  await stranger.goto(`${base}/videos/${encodeURIComponent(videoId)}`);
  await stranger.getByTestId('error').filter({ hasText: 'introuvable' }).waitFor();
  check(await stranger.getByTestId('status').count() === 0, 'a stranger sees the video\'s status');
  await strangerContext.close();

  // The same pages on a phone-sized screen, after a deep link that needs logging in first.
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
  const phone = await phoneContext.newPage();
  await phone.goto(`${base}/videos/${encodeURIComponent(videoId)}`);
  await phone.getByRole('heading', { name: 'Connexion', exact: true }).waitFor();
  await shot(phone, 'login-phone');
  await phone.getByLabel('Adresse e-mail', { exact: true }).fill(owner);
  await phone.getByLabel('Mot de passe', { exact: true }).fill('a long password');
  await phone.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await waitForStatus(phone, 'completed'); // back on the deep link after logging in
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the progress page is ${overflow}px wider than a phone`);
  await shot(phone, 'progress-phone');
  await phone.getByRole('link', { name: 'Bibliothèque', exact: true }).click();
  await phone.locator(`[data-testid="library-item"][data-video-id="${videoId}"]`).waitFor();
  await shot(phone, 'library-phone');
  await phone.getByRole('link', { name: 'Créer', exact: true }).click();
  await phone.getByRole('heading', { name: 'Créer une vidéo', exact: true }).waitFor();
  await shot(phone, 'create-phone');
  await phoneContext.close();

  // A video made to fail: the server comes back with REETIK_LOCAL_FAILURE_RATE=1.
  await step('fail-every-clip');
  const failingId = await createVideo(page, 'Une vidéo qui échoue', 8, 2);
  await waitForStatus(page, 'failed');
  const error = await page.getByTestId('error').innerText();
  check(error.includes('Une erreur est survenue. Veuillez réessayer.'), `not the seed's message: ${error}`);
  check(/bloc \d/.test(error), `the failed stage is not shown: ${error}`);
  await shot(page, 'progress-failed-desktop');

  // Retry, once clips render again: the same video completes.
  await step('render-again');
  await page.getByRole('button', { name: 'Réessayer', exact: true }).click();
  await waitForStatus(page, 'completed');
  check(decodeURIComponent(new URL(page.url()).pathname.split('/').pop()) === failingId,
    'the retry did not stay on the same video');
  await page.getByRole('link', { name: 'Bibliothèque', exact: true }).click();
  await page.locator(`[data-testid="library-item"][data-video-id="${failingId}"][data-status="completed"]`).waitFor();
  log('retried video completed');

  // Editing one block from the library: only that block is generated again, the video becomes version 2 and
  // the player loads the new file.
  await page.locator(`[data-testid="library-item"][data-video-id="${failingId}"]`)
    .getByRole('link', { name: 'Modifier', exact: true }).click();
  await waitForStatus(page, 'completed');
  await page.getByRole('button', { name: 'Modifier le bloc 2', exact: true }).click();
  await page.getByLabel('Description de la scène', { exact: true }).fill('Une coulée de lave la nuit, vue du ciel');
  await page.getByTestId('edit-estimate').filter({ hasText: '1 clip payant' }).waitFor();
  await shot(page, 'edit-block-desktop');
  await page.getByRole('button', { name: 'Régénérer ce bloc', exact: true }).click();
  await page.getByTestId('final-version').filter({ hasText: 'Version 2' }).waitFor({ timeout: VIDEO_TIMEOUT });
  await waitForStatus(page, 'completed');
  const edited = await page.locator('[data-testid="block"]').evaluateAll((cells) => cells.map((c) => c.dataset.state));
  check(edited.length === 2 && edited.every((state) => state === 'completed'), `blocks after the edit: ${edited}`);
  const source = await page.locator('video').first().evaluate((video) => video.currentSrc || video.getAttribute('src') || '');
  check(source.includes('v=2'), `the player did not load version 2: ${source}`);
  await shot(page, 'edited-desktop');
  log('edited block 2: version 2 plays');
  await page.getByRole('link', { name: 'Bibliothèque', exact: true }).click();

  // "Make another like this": the create form opens with that video's settings.
  await page.locator(`[data-testid="library-item"][data-video-id="${failingId}"]`)
    .getByRole('link', { name: 'Créer une vidéo similaire', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('#video-theme')?.value === 'Une vidéo qui échoue');
  check(await page.getByLabel('Durée cible (secondes)').inputValue() === '8', 'the duration was not taken from the video');
  log('make another like this: form filled from the video');

  // Deleting the first video: after a confirmation, it leaves the library, and its page no longer finds it.
  await page.getByRole('link', { name: 'Bibliothèque', exact: true }).click();
  const doomed = page.locator(`[data-testid="library-item"][data-video-id="${videoId}"]`);
  await doomed.waitFor();
  page.once('dialog', (dialog) => {
    check(dialog.type() === 'confirm' && dialog.message().includes("Les volcans d'Islande"),
      `unexpected dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.accept();
  });
  await doomed.getByRole('button', { name: 'Supprimer', exact: true }).click();
  await doomed.waitFor({ state: 'detached' });
  await page.reload();
  await page.locator(`[data-testid="library-item"][data-video-id="${failingId}"]`).waitFor();
  check(await doomed.count() === 0, 'the deleted video is listed again after a reload');
  await page.goto(`${base}/videos/${encodeURIComponent(videoId)}`);
  await page.getByTestId('error').filter({ hasText: 'introuvable' }).waitFor();
  log('deleted video gone from the library and its page');

  // Deleting the account: the password asked again, then the session ends and the password no longer logs in.
  await page.getByRole('link', { name: 'Mon compte', exact: true }).click();
  await page.getByLabel('Mot de passe', { exact: true }).fill('a long password');
  await page.getByRole('button', { name: 'Supprimer mon compte et mes vidéos', exact: true }).click();
  await page.getByRole('heading', { name: 'Connexion', exact: true }).waitFor();
  await page.getByLabel('Adresse e-mail', { exact: true }).fill(owner);
  await page.getByLabel('Mot de passe', { exact: true }).fill('a long password');
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await page.getByText('E-mail ou mot de passe incorrect.').waitFor();
  log('account deleted: its password no longer logs in');
  console.log('BROWSER TEST PASSED');
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
// stdin (the test's answers) would keep the process alive: end it here.
process.exit(process.exitCode ?? 0);
