#!/usr/bin/env node
// Local Solana JSON-RPC devnet on LiteSVM. See README.md next to this file.
//   node server.mjs [--port 0] [--host 127.0.0.1] [--finality-lag 32] [--slot-interval-ms 400]
//                   [--txs-per-slot 1] [--start-slot 447552000] [--verbose]
// Prints one line when ready: {"ready":true,"rpcUrl":"http://127.0.0.1:PORT"}
import http from 'node:http';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ledger } from './lib/ledger.mjs';
import { Rpc } from './lib/rpc.mjs';
import { RpcError, stringifyJson } from './lib/util.mjs';

export async function startServer(opts = {}) {
  const {
    port = 0, host = '127.0.0.1', finalityLag = 32, slotIntervalMs = 400, txsPerSlot = 1,
    startSlot = 447_552_000, verbose = false,
  } = opts;
  const log = verbose ? (m) => process.stderr.write(`[solana-devnet] ${m}\n`) : () => {};
  const ledger = await new Ledger({ finalityLag, txsPerSlot, startSlot, log }).init();
  const rpc = new Rpc(ledger, { slotIntervalMs });

  // Requests are handled one at a time (the ledger is single-threaded state); async work
  // (airdrop signing) is serialised through this chain.
  let queue = Promise.resolve();
  const serial = (fn) => { const p = queue.then(fn, fn); queue = p.catch(() => {}); return p; };

  async function handleOne(req) {
    const id = req && typeof req === 'object' && 'id' in req ? req.id : null;
    if (!req || typeof req !== 'object' || Array.isArray(req) || req.jsonrpc !== '2.0' || typeof req.method !== 'string') {
      return { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request' }, id };
    }
    const fn = rpc.methods[req.method];
    if (!fn) return { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id };
    const params = req.params === undefined || req.params === null ? [] : req.params;
    if (!Array.isArray(params)) {
      return { jsonrpc: '2.0', error: { code: -32602, message: 'Invalid params: expected an array of parameters.' }, id };
    }
    try {
      const result = await fn(params);
      return { jsonrpc: '2.0', result, id };
    } catch (e) {
      if (e instanceof RpcError) {
        const error = { code: e.code, message: e.message };
        if (e.data !== undefined) error.data = e.data;
        return { jsonrpc: '2.0', error, id };
      }
      log(`internal error in ${req.method}: ${e.stack}`);
      return { jsonrpc: '2.0', error: { code: -32603, message: `Internal error: ${e.message}` }, id };
    }
  }

  async function handleBody(text) {
    let body;
    try { body = JSON.parse(text); } catch {
      return { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null };
    }
    if (Array.isArray(body)) {
      if (!body.length) return { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request' }, id: null };
      const out = [];
      for (const r of body) {
        const res = await handleOne(r);
        if (r && typeof r === 'object' && !('id' in r)) continue; // notification
        out.push(res);
      }
      return out.length ? out : undefined;
    }
    const res = await handleOne(body);
    return body && typeof body === 'object' && !('id' in body) ? undefined : res;
  }

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); return; }
    if (req.method !== 'POST') { res.writeHead(405, { allow: 'POST' }); res.end(); return; }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      serial(() => handleBody(Buffer.concat(chunks).toString('utf8'))).then((out) => {
        const payload = out === undefined ? '' : stringifyJson(out);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
      }, (e) => { res.writeHead(500); res.end(String(e)); });
    });
  });
  server.keepAliveTimeout = 30_000;

  let timer = null;
  if (slotIntervalMs > 0) timer = setInterval(() => serial(() => ledger.closeSlot()), slotIntervalMs);

  await new Promise((resolve) => server.listen(port, host, resolve));
  const rpcUrl = `http://${host}:${server.address().port}`;
  return {
    rpcUrl, ledger, rpc, server,
    close: () => new Promise((resolve) => { if (timer) clearInterval(timer); server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

const isMain = !!process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' },
      'finality-lag': { type: 'string', default: '32' }, 'slot-interval-ms': { type: 'string', default: '400' },
      'txs-per-slot': { type: 'string', default: '1' }, 'start-slot': { type: 'string', default: '447552000' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const s = await startServer({
    port: Number(values.port), host: values.host, finalityLag: Number(values['finality-lag']),
    slotIntervalMs: Number(values['slot-interval-ms']), txsPerSlot: Number(values['txs-per-slot']),
    startSlot: Number(values['start-slot']), verbose: values.verbose,
  });
  process.stdout.write(`${JSON.stringify({ ready: true, rpcUrl: s.rpcUrl })}\n`);
  const stop = () => { s.close().then(() => process.exit(0)); setTimeout(() => process.exit(0), 1000).unref(); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
