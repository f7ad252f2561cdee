// Shapes of every method through @solana/kit's RPC client, commitment views, errors, batches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { address } from '@solana/kit';
import { startDevnet, rpcError } from './helpers.mjs';
import { connect, setup, mintTo, devnet } from '../driver.mjs';

let d; let ctx; let st;
before(async () => {
  d = await startDevnet(['--finality-lag', '4']);
  ctx = connect(d.url);
  st = await setup(ctx, { program: 'token' });
});
after(() => d.stop());

const B58 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

test('getHealth, getVersion, getSlot, getBlockHeight, getLatestBlockhash', async () => {
  assert.equal(await d.rpc.getHealth().send(), 'ok');
  const v = await d.rpc.getVersion().send();
  assert.match(v['solana-core'], /^\d+\.\d+\.\d+$/);
  assert.equal(typeof v['feature-set'], 'number');
  const p = await d.rpc.getSlot({ commitment: 'processed' }).send();
  const c = await d.rpc.getSlot({ commitment: 'confirmed' }).send();
  const f = await d.rpc.getSlot({ commitment: 'finalized' }).send();
  // kit's client defaults to 'confirmed'; the server's own default (no commitment) is finalized
  assert.equal(BigInt((await d.call('getSlot')).result), f);
  assert.equal(typeof p, 'bigint');
  assert.ok(p > c && c >= f);
  const bh = await d.rpc.getBlockHeight({ commitment: 'confirmed' }).send();
  assert.ok(bh < c);
  const lb = await d.rpc.getLatestBlockhash({ commitment: 'confirmed' }).send();
  assert.equal(lb.context.slot, c);
  assert.equal(typeof lb.context.apiVersion, 'string');
  assert.match(lb.value.blockhash, B58);
  assert.equal(lb.value.lastValidBlockHeight, bh + 150n);
  const raw = await d.call('getLatestBlockhash', []);
  assert.deepEqual(Object.keys(raw.result.context).sort(), ['apiVersion', 'slot']);
});

test('commitment lag: finalized trails processed by the finality lag', async () => {
  await devnet(ctx, 'devnet_advanceSlots', [10]);
  const s = await devnet(ctx, 'devnet_status');
  assert.equal(s.confirmedSlot, s.processedSlot - 1);
  assert.equal(s.finalizedSlot, s.processedSlot - 4);
  const sig = await mintTo(ctx, st, 1_000_000n);
  // visible at confirmed at once, not at finalized
  assert.ok(await d.rpc.getTransaction(sig, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 }).send());
  assert.equal(await d.rpc.getTransaction(sig, { commitment: 'finalized', maxSupportedTransactionVersion: 0 }).send(), null);
  assert.equal((await d.call('getTransaction', [sig, { maxSupportedTransactionVersion: 0 }])).result, null);
  const supF = await d.rpc.getTokenSupply(address(st.mint), { commitment: 'finalized' }).send().catch(() => null);
  const supC = await d.rpc.getTokenSupply(address(st.mint), { commitment: 'confirmed' }).send();
  assert.equal(supC.value.amount, '1000000');
  assert.ok(supF === null || supF.value.amount === '0');
  const sigsF = await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'finalized' }).send();
  assert.ok(!sigsF.some((x) => x.signature === sig));
  const stat = await d.rpc.getSignatureStatuses([sig]).send();
  assert.equal(stat.value[0].confirmationStatus, 'confirmed');
  assert.equal(typeof stat.value[0].confirmations, 'bigint');
  await devnet(ctx, 'devnet_advanceSlots', [4]);
  const tx = await d.rpc.getTransaction(sig, { commitment: 'finalized', maxSupportedTransactionVersion: 0 }).send();
  assert.ok(tx);
  const supF2 = await d.rpc.getTokenSupply(address(st.mint), { commitment: 'finalized' }).send();
  assert.equal(supF2.value.amount, '1000000');
  assert.equal(supF2.context.slot, BigInt((await devnet(ctx, 'devnet_status')).finalizedSlot));
  const stat2 = await d.rpc.getSignatureStatuses([sig], { searchTransactionHistory: true }).send();
  assert.equal(stat2.context.slot, BigInt((await devnet(ctx, 'devnet_status')).processedSlot));
  assert.equal(stat2.value[0].confirmationStatus, 'finalized');
  assert.equal(stat2.value[0].confirmations, null);
  assert.deepEqual(stat2.value[0].status, { Ok: null });
  const sigsF2 = await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'finalized' }).send();
  assert.equal(sigsF2[0].signature, sig);
  assert.deepEqual(Object.keys(sigsF2[0]).sort(), ['blockTime', 'confirmationStatus', 'err', 'memo', 'signature', 'slot']);
  assert.equal(sigsF2[0].confirmationStatus, 'finalized');
  const now = Date.now() / 1000;
  assert.ok(Math.abs(Number(sigsF2[0].blockTime) - now) < 60, 'blockTime is real unix seconds');
});

test('getBalance, getAccountInfo (base64, jsonParsed), getTokenAccountBalance', async () => {
  await devnet(ctx, 'devnet_advanceSlots', [5]);
  const bal = await d.rpc.getBalance(address(st.payer.address), { commitment: 'confirmed' }).send();
  assert.ok(bal.value > 0n);
  assert.equal((await d.rpc.getBalance(address('11111111111111111111111111111112')).send()).value, 0n);
  const b64 = await d.rpc.getAccountInfo(address(st.mint), { encoding: 'base64' }).send();
  assert.equal(b64.value.owner, st.programId);
  assert.equal(b64.value.data[1], 'base64');
  assert.equal(Buffer.from(b64.value.data[0], 'base64').length, 82);
  assert.equal(b64.value.space, 82n);
  assert.equal(b64.value.rentEpoch, 18446744073709551615n);
  assert.equal(b64.value.executable, false);
  const pm = await d.rpc.getAccountInfo(address(st.mint), { encoding: 'jsonParsed' }).send();
  assert.deepEqual(pm.value.data, {
    program: 'spl-token', space: 82n,
    parsed: { type: 'mint', info: { mintAuthority: st.mintAuthority.address, supply: '1000000', decimals: 6, isInitialized: true, freezeAuthority: null } },
  });
  const pa = await d.rpc.getAccountInfo(address(st.accounts.a), { encoding: 'jsonParsed' }).send();
  assert.deepEqual(pa.value.data.parsed, {
    type: 'account',
    info: { mint: st.mint, owner: st.holder.address, tokenAmount: { amount: '1000000', decimals: 6, uiAmount: 1, uiAmountString: '1' }, state: 'initialized', isNative: false },
  });
  assert.equal(await d.rpc.getAccountInfo(address('11111111111111111111111111111112')).send().then((r) => r.value), null);
  const tb = await d.rpc.getTokenAccountBalance(address(st.accounts.a)).send();
  assert.deepEqual(tb.value, { amount: '1000000', decimals: 6, uiAmount: 1, uiAmountString: '1' });
  const e = await rpcError(d.rpc.getTokenAccountBalance(address(st.mint)).send());
  assert.equal(e.code, -32602);
});

test('getBlock, getBlocks, getBlockTime', async () => {
  await devnet(ctx, 'devnet_advanceSlots', [5]);
  const sigs = await d.rpc.getSignaturesForAddress(address(st.mint), { limit: 1 }).send();
  const slot = sigs[0].slot;
  const b = await d.rpc.getBlock(slot, { maxSupportedTransactionVersion: 0, encoding: 'jsonParsed' }).send();
  assert.equal(b.parentSlot, slot - 1n);
  assert.match(b.blockhash, B58);
  const parent = await d.rpc.getBlock(slot - 1n, { maxSupportedTransactionVersion: 0, transactionDetails: 'none' }).send();
  assert.equal(b.previousBlockhash, parent.blockhash);
  assert.equal(b.blockHeight, parent.blockHeight + 1n);
  assert.equal(b.transactions.length, 1);
  assert.equal(b.transactions[0].transaction.signatures[0], sigs[0].signature);
  assert.equal(b.transactions[0].version, 'legacy');
  assert.deepEqual(b.rewards, []);
  const sb = await d.rpc.getBlock(slot, { transactionDetails: 'signatures', maxSupportedTransactionVersion: 0 }).send();
  assert.deepEqual(sb.signatures, [sigs[0].signature]);
  assert.equal(await d.rpc.getBlockTime(slot).send(), b.blockTime);
  const blocks = await d.rpc.getBlocks(slot - 2n, slot).send();
  assert.deepEqual(blocks, [slot - 2n, slot - 1n, slot]);
  const far = await rpcError(d.rpc.getBlock(slot + 1000n).send());
  assert.equal(far.code, -32004);
  const e = await rpcError(d.rpc.getBlock(slot, { commitment: 'processed' }).send());
  assert.equal(e.code, -32602);
  assert.match(e.message, /commitment below `confirmed`/);
});

test('error codes: unknown method, bad params, processed refused, limit', async () => {
  assert.equal((await d.call('noSuchMethod')).error.code, -32601);
  assert.equal((await d.call('getBalance', ['not-a-key'])).error.code, -32602);
  assert.equal((await d.call('getBalance', [st.mint, { commitment: 'bogus' }])).error.code, -32602);
  for (const m of ['getTransaction', 'getSignaturesForAddress']) {
    const arg = m === 'getTransaction' ? st.setupSignature : st.mint;
    const r = await d.call(m, [arg, { commitment: 'processed' }]);
    assert.equal(r.error.code, -32602, m);
    assert.equal(r.error.message, 'Method does not support commitment below `confirmed`');
  }
  assert.equal((await d.call('getSignaturesForAddress', [st.mint, { limit: 1001 }])).error.code, -32602);
  assert.equal((await d.raw('{not json')).error.code, -32700);
  assert.equal((await d.raw({ jsonrpc: '2.0', id: 3 })).error.code, -32600);
  const mcs = await d.call('getSlot', [{ minContextSlot: 10 ** 12 }]);
  assert.equal(mcs.error.code, -32016);
});

test('batch requests', async () => {
  const r = await d.raw([
    { jsonrpc: '2.0', id: 1, method: 'getSlot', params: [{ commitment: 'confirmed' }] },
    { jsonrpc: '2.0', id: 'two', method: 'getHealth' },
    { jsonrpc: '2.0', id: 3, method: 'nope' },
  ]);
  assert.equal(r.length, 3);
  assert.equal(typeof r[0].result, 'number');
  assert.deepEqual(r[1], { jsonrpc: '2.0', result: 'ok', id: 'two' });
  assert.equal(r[2].error.code, -32601);
  assert.equal((await d.raw([])).error.code, -32600);
});

test('sendTransaction preflight failure is -32002 with the simulation result, nothing lands', async () => {
  const { burn } = await import('../driver.mjs');
  const before = await devnet(ctx, 'devnet_status');
  const e = await rpcError(burn(ctx, st, 10n ** 15n));
  assert.equal(e.code, -32002);
  const r = await d.call('simulateTransaction', ['', {}]);
  assert.equal(r.error.code, -32602);
  assert.equal((await devnet(ctx, 'devnet_status')).transactionCount, before.transactionCount);
  // raw shape of the -32002 error
  const { buildTx, burnIx } = await import('../driver.mjs');
  const { keypairFromSecret } = await import('../driver.mjs');
  const payer = (await keypairFromSecret(st.payer.secretKey)).signer;
  const t = await buildTx(ctx, payer, [await burnIx(st, 10n ** 15n)]);
  const rr = await d.call('sendTransaction', [t.wire, { encoding: 'base64' }]);
  assert.equal(rr.error.code, -32002);
  assert.equal(rr.error.message, 'Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1');
  assert.deepEqual(rr.error.data.err, { InstructionError: [0, { Custom: 1 }] });
  assert.ok(Array.isArray(rr.error.data.logs));
  // base58 encoding works too
  const { getBase58Decoder } = await import('@solana/kit');
  const b58 = getBase58Decoder().decode(Buffer.from(t.wire, 'base64'));
  assert.equal((await d.call('sendTransaction', [b58])).error.code, -32002);
});

test('requestAirdrop lands a system transfer', async () => {
  const to = address('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin');
  const sig = await d.rpc.requestAirdrop(to, 5_000_000_000n).send();
  const bal = await d.rpc.getBalance(to, { commitment: 'confirmed' }).send();
  assert.equal(bal.value, 5_000_000_000n);
  const tx = await d.rpc.getTransaction(sig, { commitment: 'confirmed', encoding: 'jsonParsed' }).send();
  assert.deepEqual(tx.transaction.message.instructions[0].parsed, { type: 'transfer', info: { destination: to, lamports: 5_000_000_000n, source: tx.transaction.message.accountKeys[0].pubkey } });
  assert.equal(tx.transaction.message.instructions[0].program, 'system');
});
