// Paging over >1000 signatures with before/until, and fork rollback with devnet_dropUnfinalized.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { address } from '@solana/kit';
import { startDevnet, norm } from './helpers.mjs';
import { connect, setup, mintTo, burn, bulk, devnet } from '../driver.mjs';

let d; let ctx;
before(async () => { d = await startDevnet(['--finality-lag', '8']); ctx = connect(d.url); });
after(() => d.stop());

test('getSignaturesForAddress pages newest-first over >1000 signatures with before/until', async () => {
  const st = await setup(ctx, { program: 'token2022' });
  const r = await bulk(ctx, st, { mints: 900, burns: 600, amount: 1_000_000n });
  assert.equal(r.count, 1500);
  // the mint's history: setup + 1500 (newest first = reverse send order)
  const expected = [...r.signatures].reverse();
  const all = [];
  let beforeSig;
  for (;;) {
    const page = await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'confirmed', before: beforeSig }).send();
    if (!page.length) break;
    assert.ok(page.length <= 1000);
    all.push(...page);
    beforeSig = page[page.length - 1].signature;
  }
  assert.equal(all.length, 1501);
  assert.deepEqual(all.slice(0, 1500).map((x) => x.signature), expected);
  assert.equal(all[1500].signature, st.setupSignature);
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].slot >= all[i].slot, 'slots descend');
  // default limit 1000
  const first = await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'confirmed' }).send();
  assert.equal(first.length, 1000);
  // until is exclusive and bounds the walk
  const win = await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'confirmed', before: expected[10], until: expected[20] }).send();
  assert.deepEqual(win.map((x) => x.signature), expected.slice(11, 20));
  const lim = await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'confirmed', before: expected[10], limit: 3 }).send();
  assert.deepEqual(lim.map((x) => x.signature), expected.slice(11, 14));
  // unknown before -> empty (agave), unknown until -> unbounded
  const unknown = '1'.repeat(64);
  assert.deepEqual(await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'confirmed', before: unknown }).send(), []);
  assert.equal((await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'confirmed', until: unknown, limit: 5 }).send()).length, 5);
  const supply = await d.rpc.getTokenSupply(address(st.mint), { commitment: 'confirmed' }).send();
  const minted = 900n * 1_000_000n + 404_550n; // + (i % 1000) per tx, nonce 0..899
  const burned = [...Array(600).keys()].reduce((a, i) => a + BigInt(1 + (i % 1000)), 0n);
  assert.equal(BigInt(supply.value.amount), minted - burned);
  process.stderr.write(`# bulk: ${r.count} tx in ${r.seconds}s (${r.tps} tx/s)\n`);
});

test('txs-per-slot > 1: several transactions in one slot keep block order (newest first within the slot)', async () => {
  const d2 = await startDevnet(['--txs-per-slot', '0', '--finality-lag', '1']);
  try {
    const c2 = connect(d2.url);
    const st = await setup(c2, { program: 'token' });
    const sigs = [];
    for (let i = 0; i < 5; i++) sigs.push(await mintTo(c2, st, BigInt(i + 1)));
    await devnet(c2, 'devnet_advanceSlots', [1]);
    const page = await d2.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'confirmed' }).send();
    assert.deepEqual(page.map((x) => x.signature), [...sigs].reverse().concat(st.setupSignature));
    assert.equal(new Set(page.map((x) => x.slot)).size, 1, 'all in one slot');
    const b = await d2.rpc.getBlock(page[0].slot, { commitment: 'confirmed', transactionDetails: 'signatures', maxSupportedTransactionVersion: 0 }).send();
    assert.equal(b.signatures.length, 7, 'airdrop, setup, 5 mints');
    assert.deepEqual(b.signatures.slice(1), [st.setupSignature, ...sigs]);
  } finally { await d2.stop(); }
});

test('devnet_dropUnfinalized: unfinalized transactions vanish, state rolls back, slots continue on a new fork', async () => {
  const st = await setup(ctx, { program: 'token' });
  await mintTo(ctx, st, 5_000_000n);
  await devnet(ctx, 'devnet_advanceSlots', [8]);
  // unfinalized activity
  const m2 = await mintTo(ctx, st, 3_000_000n);
  const b2 = await burn(ctx, st, 1_000_000n, { checked: true });
  const fin = await devnet(ctx, 'devnet_status');
  const supplyBefore = await d.rpc.getTokenSupply(address(st.mint), { commitment: 'finalized' }).send();
  assert.equal(supplyBefore.value.amount, '5000000');
  const finBlock = norm(await d.rpc.getBlock(BigInt(fin.finalizedSlot), { commitment: 'finalized', transactionDetails: 'none', maxSupportedTransactionVersion: 0 }).send());
  assert.equal((await d.rpc.getTokenSupply(address(st.mint), { commitment: 'confirmed' }).send()).value.amount, '7000000');
  const oldHead = (await devnet(ctx, 'devnet_status')).processedSlot;
  const res = await devnet(ctx, 'devnet_dropUnfinalized');
  assert.equal(res.finalizedSlot, fin.finalizedSlot);
  assert.equal(res.droppedTransactions, 2);
  assert.equal(res.newSlot, oldHead + 1);
  for (const sig of [m2, b2]) {
    assert.equal(await d.rpc.getTransaction(sig, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 }).send(), null);
    assert.equal((await d.rpc.getSignatureStatuses([sig], { searchTransactionHistory: true }).send()).value[0], null);
  }
  const page = await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'confirmed' }).send();
  assert.ok(!page.some((x) => x.signature === m2 || x.signature === b2));
  for (const c of ['processed', 'confirmed', 'finalized']) {
    assert.equal((await d.rpc.getTokenSupply(address(st.mint), { commitment: c }).send()).value.amount, '5000000', c);
  }
  assert.equal((await d.rpc.getTokenAccountBalance(address(st.accounts.a), { commitment: 'processed' }).send()).value.amount, '5000000');
  // above the confirmed slot (now the finalized one) nothing is available yet
  assert.equal((await d.call('getBlock', [fin.finalizedSlot + 1, { commitment: 'confirmed' }])).error.code, -32004);
  // the same transaction can land again on the new fork, and new ones work
  const m3 = await mintTo(ctx, st, 1_000_000n);
  const tx3 = norm(await d.rpc.getTransaction(m3, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 }).send());
  assert.ok(tx3.slot > oldHead);
  const blk = norm(await d.rpc.getBlock(BigInt(tx3.slot), { commitment: 'confirmed', transactionDetails: 'none', maxSupportedTransactionVersion: 0 }).send());
  assert.equal(blk.parentSlot, fin.finalizedSlot);
  assert.equal(blk.previousBlockhash, finBlock.blockhash);
  assert.equal(blk.blockHeight, finBlock.blockHeight + 1);
  // abandoned slot numbers are skipped on the new fork
  assert.equal((await d.call('getBlock', [fin.finalizedSlot + 1, { commitment: 'confirmed' }])).error.code, -32007);
  assert.equal((await d.rpc.getTokenSupply(address(st.mint), { commitment: 'confirmed' }).send()).value.amount, '6000000');
  // finality resumes on the new fork
  await devnet(ctx, 'devnet_advanceSlots', [8]);
  assert.ok((await d.rpc.getTransaction(m3, { commitment: 'finalized', maxSupportedTransactionVersion: 0 }).send()));
  const blocks = norm(await d.rpc.getBlocks(BigInt(fin.finalizedSlot), BigInt(tx3.slot), { commitment: 'finalized' }).send());
  assert.deepEqual(blocks, [fin.finalizedSlot, tx3.slot]);
});

test('devnet_setFinalityLag and devnet_advanceSlots', async () => {
  const s0 = await devnet(ctx, 'devnet_setFinalityLag', [0]);
  assert.equal(s0.finalizedSlot, s0.confirmedSlot);
  const s1 = await devnet(ctx, 'devnet_setFinalityLag', [16]);
  assert.equal(s1.finalizedSlot, s0.finalizedSlot, 'finality never moves backwards');
  const s2 = await devnet(ctx, 'devnet_advanceSlots', [20]);
  assert.equal(s2.processedSlot, s1.processedSlot + 20);
  assert.equal(s2.finalizedSlot, s2.processedSlot - 16);
  assert.equal((await d.call('devnet_advanceSlots', [-1])).error.code, -32602);
});

test('--slot-interval-ms: the timer closes slots on its own', async () => {
  const d3 = await startDevnet(['--slot-interval-ms', '40', '--finality-lag', '3']);
  try {
    const c3 = connect(d3.url);
    const a = await devnet(c3, 'devnet_status');
    await new Promise((r) => setTimeout(r, 400));
    const b = await devnet(c3, 'devnet_status');
    assert.ok(b.processedSlot >= a.processedSlot + 4, `${a.processedSlot} -> ${b.processedSlot}`);
    assert.equal(b.finalizedSlot, b.processedSlot - 3);
    const blk = norm(await d3.rpc.getBlock(BigInt(b.confirmedSlot), { commitment: 'confirmed', maxSupportedTransactionVersion: 0 }).send());
    assert.deepEqual(blk.transactions, []);
  } finally { await d3.stop(); }
});
