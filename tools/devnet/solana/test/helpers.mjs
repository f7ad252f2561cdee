// Test helpers: spawn the real server process and parse its ready line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import readline from 'node:readline';
import { createSolanaRpc } from '@solana/kit';

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'server.mjs');

export async function startDevnet(args = []) {
  const child = spawn(process.execPath, [SERVER, '--port', '0', '--slot-interval-ms', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = readline.createInterface({ input: child.stdout });
  const line = await new Promise((resolve, reject) => {
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
  const ready = JSON.parse(line);
  if (!ready.ready || !/^http:\/\/127\.0\.0\.1:\d+$/.test(ready.rpcUrl)) throw new Error(`bad ready line ${line}`);
  const url = ready.rpcUrl;
  return {
    url,
    rpc: createSolanaRpc(url),
    async call(method, params = []) {
      const r = await raw(url, { jsonrpc: '2.0', id: 1, method, params });
      return r;
    },
    raw: (body) => raw(url, body),
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}

export async function raw(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

/** Run fn and return the kit RPC error's context ({__code, ...}) or fail. */
export async function rpcError(promise) {
  try { await promise; } catch (e) { return { code: e.context?.__code ?? e.context?.code, message: e.message, context: e.context }; }
  throw new Error('expected an RPC error');
}

/** kit's client returns every JSON integer as bigint: turn them back into numbers for deep comparisons. */
export function norm(v) {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
  return v;
}
