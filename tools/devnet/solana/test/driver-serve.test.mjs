// driver.mjs --serve: many commands through one process, each reply on its own line, in order; a failing or
// malformed command answers with an error line and leaves the process serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startDevnet } from './helpers.mjs';

const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'driver.mjs');

function startServe() {
  const child = spawn(process.execPath, [DRIVER, '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    async send(argv) {
      child.stdin.write(`${JSON.stringify(argv)}\n`);
      const { value, done } = await lines.next();
      assert.equal(done, false, 'the driver stopped serving');
      return JSON.parse(value);
    },
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
}

test('serve: setup, mint and burn through one process, replies in order; errors leave it serving; stdin closed ends it', async () => {
  const devnet = await startDevnet();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-serve-'));
  const state = path.join(dir, 'state.json');
  const driver = startServe();
  try {
    const base = ['--rpc', devnet.url, '--state', state];
    const setup = await driver.send([...base, 'setup']);
    assert.equal(setup.ok, true, setup.error);
    assert.match(setup.result.mint, /^[1-9A-HJ-NP-Za-km-z]{32,44}$/);

    const mint = await driver.send([...base, 'mint', '--amount', '5000000']);
    const burn = await driver.send([...base, 'burn', '--amount', '1000000', '--checked']);
    assert.equal(mint.ok && burn.ok, true);
    assert.notEqual(mint.result.signature, burn.result.signature);

    const usage = await driver.send([...base, 'no-such-command']);
    assert.deepEqual([usage.ok, usage.usage], [false, true]);
    assert.match(usage.error, /^usage: /);

    const missingState = await driver.send(['--rpc', devnet.url, 'mint']);
    assert.equal(missingState.ok, false);
    assert.match(missingState.error, /--state FILE is required/);

    const garbled = await driver.send(['--rpc', devnet.url, '--no-such-flag']);
    assert.equal(garbled.ok, false, 'an unknown flag is an error reply, not a dead process');

    // still serving after three errors, and the chain saw the mint and the burn
    const supply = await devnet.call('getTokenSupply', [setup.result.mint, { commitment: 'confirmed' }]);
    assert.equal(supply.result.value.amount, '4000000');
    const again = await driver.send([...base, 'mint', '--amount', '1']);
    assert.equal(again.ok, true, again.error);

    driver.child.stdin.end();
    assert.equal(await driver.exited, 0, 'closing stdin ends the driver cleanly');
  } finally {
    driver.child.kill();
    await devnet.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
