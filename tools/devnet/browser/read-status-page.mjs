#!/usr/bin/env node
// Loads the daemon's status page in headless Chromium (Debian's `chromium`, driven by playwright-core — no browser
// download) at a viewport width (default 1280 px), saves a full-page screenshot, and prints what the page shows, read
// from the rendered DOM, as one JSON line: {title, verdict, circulating, reserves, coverage,
// networks:[{name, finalBlock, indexed, onchain, proof, mints, burns, reorgs}], figures:{<data-figure>: text},
// links:[{text, href}], charts:[{id, reports, inconclusive}], scrollWidth, clientWidth, requests:[url]}.
// Every request the page makes is recorded: a page that works offline asks for nothing but itself.
//   node read-status-page.mjs --url http://127.0.0.1:9464/ --screenshot out.png [--width 390] [--chromium /usr/bin/chromium]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    screenshot: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    width: { type: 'string', default: '1280' },
  },
});
if (!values.url || !values.screenshot) {
  process.stderr.write('usage: node read-status-page.mjs --url URL --screenshot FILE [--chromium PATH]\n');
  process.exit(2);
}

// A fresh profile per run: nothing cached or remembered from an earlier page can leak into what is checked.
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'usd1rec-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: values.chromium,
    headless: true,
    viewport: { width: Number(values.width), height: 800 },
    // As root in CI: no sandbox; and no traffic of the browser's own (updates, sync, QUIC probes) beside the page.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  const response = await page.goto(values.url, { waitUntil: 'load', timeout: 30_000 });
  if (!response || !response.ok()) throw new Error(`GET ${values.url}: HTTP ${response?.status()}`);
  await page.screenshot({ path: values.screenshot, fullPage: true });
  const text = async (selector) => (await page.locator(selector).count()) ? (await page.locator(selector).first().innerText()).trim() : null;
  const networks = await page.$$eval('#networks tr[data-network]', (rows) => rows.map((row) => {
    const cell = (name) => row.querySelector(`td.${name}`)?.innerText.trim() ?? null;
    return {
      name: row.dataset.network, finalBlock: cell('final'), indexed: cell('indexed'), onchain: cell('onchain'),
      proof: cell('proof'), mints: cell('mints'), burns: cell('burns'), reorgs: cell('reorgs'),
    };
  }));
  const result = {
    title: await page.title(),
    verdict: await text('#verdict'),
    circulating: await text('#circulating'),
    reserves: await text('#reserves'),
    coverage: await text('#coverage'),
    networks,
    figures: await page.$$eval('[data-figure]', (nodes) => Object.fromEntries(nodes.map((n) => [n.dataset.figure, n.innerText.trim()]))),
    links: await page.$$eval('a[href]', (nodes) => nodes.map((a) => ({ text: a.innerText.trim(), href: a.href }))),
    charts: await page.$$eval('figure.chart', (nodes) => nodes.map((f) => {
      const svg = f.querySelector('svg');
      return { id: f.id, reports: Number(svg.dataset.reports), inconclusive: Number(svg.dataset.inconclusive), lines: svg.querySelectorAll('polyline, circle.dot').length };
    })),
    scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth),
    clientWidth: await page.evaluate(() => document.documentElement.clientWidth),
    requests,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await context?.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
