// Swagger UI as a developer uses it (issue 14, item 5): in headless Chromium, open <base>/swagger, Authorize with an
// API key, then on each write below expand the operation, press "Try it out", leave the prefilled example body as it
// is, press "Execute" and expect the status shown in the UI to be the operation's success. Then a replace, where the
// ETag is the only thing to paste: GET the agreement of the prefilled id, read the ETag among the response headers the
// UI shows, paste it into PUT's If-Match field (a documented header parameter), keep the prefilled body, Execute → 200.
//
//   node tools/contract/swagger-ui/try-it-out.mjs [baseUrl] [apiKey]     (defaults: $LINKJ_BASE_URL, $LINKJ_API_KEY)
//
// The key needs partners:write and agreements:write. Every request stays on loopback (others are aborted and listed).
// Needs Chromium at $CHROMIUM (default /usr/bin/chromium); scripts/contract-checks.sh installs it when missing.
import { chromium } from 'playwright-core';

const base = (process.argv[2] ?? process.env.LINKJ_BASE_URL ?? '').replace(/\/$/, '');
const apiKey = process.argv[3] ?? process.env.LINKJ_API_KEY ?? '';
if (!base || !apiKey) {
  console.error('usage: try-it-out.mjs <baseUrl> <apiKey>');
  process.exit(2);
}

// The writes tried with their prefilled example, in order (the agreement's example names a seeded partner).
const operations = [
  { method: 'post', path: '/api/v1/partners', expect: 201 },
  { method: 'post', path: '/api/v1/agreements', expect: 201 },
  // JSON lines, the first media type: the seeded Osaka Prefecture unchanged, then the MOU with Kanagawa Prefecture
  // (the partner the first operation created) created by its external reference.
  { method: 'post', path: '/api/v1/partners/import', expect: 200 },
  { method: 'post', path: '/api/v1/agreements/import', expect: 200 },
];

// The replace tried with only the ETag pasted (the prefilled id is the seeded Osaka MOU, the body is that MOU with a note).
const replace = { method: 'put', path: '/api/v1/agreements/{id}', expect: 200 };

const started = Date.now();
const overall = setTimeout(() => {
  console.error('FAILED: the check did not finish within 90 s');
  process.exit(1);
}, 90_000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const failures = [];
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  const blocked = [];
  await page.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  // What Swagger UI really sent (it may re-serialize the prefilled text, e.g. for a media type with "json" in it).
  const sent = new Map();
  page.on('request', (r) => {
    if (r.method() !== 'GET') sent.set(`${r.method()} ${new URL(r.url()).pathname}`, { type: r.headers()['content-type'], body: r.postData() ?? '' });
  });

  await page.goto(`${base}/swagger`, { waitUntil: 'domcontentloaded' });
  await page.locator('.swagger-ui .opblock').first().waitFor();
  console.log(`opened ${base}/swagger: ${await page.locator('.swagger-ui .opblock').count()} operations rendered`);

  // Authorize: the X-Api-Key scheme's field, then close the dialog.
  await page.locator('.swagger-ui .auth-wrapper button.authorize').click();
  const scheme = page.locator('.modal-ux .auth-container').filter({ hasText: 'X-Api-Key' }).first();
  await scheme.locator('input').first().fill(apiKey);
  await scheme.locator('button.authorize').click();
  await scheme.locator('button[aria-label="Remove authorization"]').waitFor(); // "Logout": the key is kept
  await page.locator('.modal-ux .close-modal').click();
  await page.locator('.modal-ux').waitFor({ state: 'detached' });
  console.log('authorized with the X-Api-Key scheme');

  for (const op of operations) {
    const name = `${op.method.toUpperCase()} ${op.path}`;
    const block = await tryItOut(page, op.method, op.path);
    const body = await block.locator('textarea.body-param__text').inputValue();
    const { code, shown, responseBody } = await execute(block);
    if (code === op.expect) {
      console.log(`${name}: prefilled example (${body.length} chars) -> ${code} (expected ${op.expect})`);
    } else {
      failures.push(name);
      console.log(`${name}: prefilled example -> ${shown || '(no status)'}, expected ${op.expect}`);
      console.log(`  request body prefilled (unedited):\n${indent(body)}`);
      const request = sent.get(`${op.method.toUpperCase()} ${op.path}`);
      console.log(`  request sent (Content-Type ${request?.type ?? '?'}):\n${indent(request?.body ?? '(not seen)')}`);
      console.log(`  response body shown:\n${indent(responseBody)}`);
    }
    await block.locator('.opblock-summary').first().click(); // collapse again
  }

  // A replace: read the ETag as the UI shows it, paste it into If-Match, keep the prefilled id and body.
  const read = await tryItOut(page, 'get', replace.path);
  const readId = await parameterInput(read, 'id', 'path').inputValue();
  const got = await execute(read);
  const etag = (await read.locator('.live-responses-table .response-col_description .headerline').allInnerTexts())
    .map((line) => line.trim().match(/^etag:\s*(.+)$/i)?.[1]?.trim()).find(Boolean);
  await read.locator('.opblock-summary').first().click();
  if (got.code !== 200 || !etag) {
    failures.push(`GET ${replace.path}`);
    console.log(`GET ${replace.path} (id ${readId}) -> ${got.shown}, ETag shown: ${etag ?? '(none)'}`);
  } else {
    console.log(`GET ${replace.path} (id ${readId}) -> 200, ETag shown in the response headers: ${etag}`);
    const name = `${replace.method.toUpperCase()} ${replace.path}`;
    const block = await tryItOut(page, replace.method, replace.path);
    const id = await parameterInput(block, 'id', 'path').inputValue();
    const ifMatch = parameterInput(block, 'If-Match', 'header');
    const prefilled = await ifMatch.inputValue();
    await ifMatch.fill(etag);
    const body = await block.locator('textarea.body-param__text').inputValue();
    const { code, shown, responseBody } = await execute(block);
    if (id !== readId || prefilled !== '') {
      failures.push(`${name}: the id field held ${id} (GET read ${readId}); If-Match was prefilled with '${prefilled}'`);
    } else if (code === replace.expect) {
      console.log(`${name} (id ${id}): If-Match ${etag} pasted, prefilled example (${body.length} chars) -> ${code} (expected ${replace.expect})`);
    } else {
      failures.push(name);
      console.log(`${name}: If-Match ${etag} + prefilled example -> ${shown || '(no status)'}, expected ${replace.expect}`);
      console.log(`  request body sent (prefilled, unedited):\n${indent(body)}`);
      console.log(`  response body shown:\n${indent(responseBody)}`);
    }
  }
  if (blocked.length) console.log(`aborted ${blocked.length} non-loopback request(s): ${blocked.join(', ')}`);
} catch (e) {
  failures.push(`the UI did not behave as expected: ${e.message.split('\n')[0]}`);
} finally {
  await browser.close();
  clearTimeout(overall);
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length) {
  console.error(`FAILED (${seconds}s): ${failures.join('; ')}`);
  process.exit(1);
}
console.log(`passed: ${operations.length} writes succeeded with their prefilled example body, and a replace with the ETag pasted (${seconds}s)`);

function indent(text) {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}

// Expands the operation and presses "Try it out"; returns its block.
async function tryItOut(page, method, path) {
  const block = page.locator(`.opblock.opblock-${method}`)
    .filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) }).first();
  await block.locator('.opblock-summary').first().click();
  await block.locator('button.try-out__btn').click();
  return block;
}

// The text field of a parameter in the operation's parameter table.
function parameterInput(block, name, location) {
  return block.locator(`tr[data-param-name="${name}"][data-param-in="${location}"] input`).first();
}

// Presses "Execute"; returns the status the UI shows and the response body it shows.
async function execute(block) {
  await block.locator('button.execute').click();
  const status = block.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor();
  const shown = (await status.innerText()).trim();
  const responseBody = (await block.locator('.live-responses-table .response-col_description pre').first()
    .innerText().catch(() => '(no body shown)')).trim();
  return { code: Number.parseInt(shown, 10), shown, responseBody };
}
