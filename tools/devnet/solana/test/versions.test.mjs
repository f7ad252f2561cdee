// Transaction versions (legacy, 0, 1) as agave serves them: getTransaction/getBlock refuse a version above the
// requested maxSupportedTransactionVersion with -32015 (agave's validate_version), and a v1 transaction (SIMD-0385,
// executed by LiteSVM) is served in jsonParsed with static account keys only and no addressTableLookups.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevnet } from './helpers.mjs';
import { connect, setup, mintTo } from '../driver.mjs';

let d; let ctx; let st; let v1Mint;
before(async () => {
  d = await startDevnet(['--finality-lag', '4']);
  ctx = connect(d.url);
  st = await setup(ctx, { program: 'token', version: 1 });
  v1Mint = await mintTo(ctx, st, 2_500_000n);
});
after(() => d.stop());

const refusal = (v) => ({
  code: -32015,
  message: `Transaction version (${v}) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": ${v}`,
});

test('a v1 transaction is refused with -32015 below max version 1, exactly as agave words it', async () => {
  for (const config of [{ commitment: 'confirmed', encoding: 'jsonParsed' }, { commitment: 'confirmed', encoding: 'jsonParsed', maxSupportedTransactionVersion: 0 }]) {
    const r = await d.call('getTransaction', [v1Mint, config]);
    assert.deepEqual(r.error, refusal(1), JSON.stringify(config));
  }
  const slot = (await d.call('getTransaction', [v1Mint, { commitment: 'confirmed', maxSupportedTransactionVersion: 1 }])).result.slot;
  const block = await d.call('getBlock', [slot, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 }]);
  assert.deepEqual(block.error, refusal(1), 'getBlock refuses the whole block when one transaction is above the max');
});

test('maxSupportedTransactionVersion outside a u8 is invalid params', async () => {
  const r = await d.call('getTransaction', [v1Mint, { commitment: 'confirmed', maxSupportedTransactionVersion: 256 }]);
  assert.equal(r.error.code, -32602);
  assert.match(r.error.message, /expected u8/);
});

test('a v1 mintTo is served in jsonParsed with version 1, static keys only and the parsed instruction', async () => {
  const r = await d.call('getTransaction', [v1Mint, { commitment: 'confirmed', encoding: 'jsonParsed', maxSupportedTransactionVersion: 1 }]);
  assert.equal(r.error, undefined);
  const tx = r.result;
  assert.equal(tx.version, 1);
  assert.equal(tx.meta.err, null);
  const msg = tx.transaction.message;
  assert.equal(tx.transaction.signatures[0], v1Mint);
  assert.ok(!('addressTableLookups' in msg), 'v1 has no address lookup tables');
  assert.ok(msg.accountKeys.every((k) => k.source === 'transaction'), 'every key is static in v1');
  assert.equal(typeof msg.recentBlockhash, 'string', 'the lifetime specifier is shown as recentBlockhash');
  // the compute budget travels in the v1 message config, so the token instruction is the only instruction
  assert.equal(msg.instructions.length, 1);
  assert.deepEqual(msg.instructions[0].parsed, {
    info: { account: st.accounts.a, amount: '2500000', mint: st.mint, mintAuthority: st.mintAuthority.address },
    type: 'mintTo',
  });
  const supply = await d.call('getTokenSupply', [st.mint, { commitment: 'confirmed' }]);
  assert.equal(supply.result.value.amount, '2500000', 'LiteSVM executed the v1 transaction');
});

test('legacy and v0 transactions still encode under max version 1', async () => {
  const legacy = await setup(ctx, { program: 'token' });
  const v0 = await setup(ctx, { program: 'token', version: 0 });
  for (const [state, version] of [[legacy, 'legacy'], [v0, 0]]) {
    const sig = await mintTo(ctx, state, 1n);
    const r = await d.call('getTransaction', [sig, { commitment: 'confirmed', encoding: 'jsonParsed', maxSupportedTransactionVersion: 1 }]);
    assert.equal(r.result.version, version);
  }
});
