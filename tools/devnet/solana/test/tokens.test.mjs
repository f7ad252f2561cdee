// jsonParsed of every mint/burn kind on Token and Token-2022, multisig authority, failed tx, v0 / -32015.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { address } from '@solana/kit';
import { startDevnet, norm } from './helpers.mjs';
import { connect, setup, mintTo, burn, transfer, failingBurn } from '../driver.mjs';

const TOKEN = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
const TOKEN_2022 = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
let d; let ctx;
before(async () => { d = await startDevnet(['--finality-lag', '2']); ctx = connect(d.url); });
after(() => d.stop());

const getParsed = async (sig) => norm(await d.rpc.getTransaction(sig, { commitment: 'confirmed', encoding: 'jsonParsed', maxSupportedTransactionVersion: 0 }).send());
const tokenAmount = (amount) => ({ amount: String(amount), decimals: 6, uiAmount: Number(amount) / 1e6, uiAmountString: String(Number(amount) / 1e6) });

for (const [program, programId] of [['token', TOKEN], ['token2022', TOKEN_2022]]) {
  test(`${program}: mintTo, mintToChecked, burn, burnChecked, transfer parse exactly like agave`, async () => {
    const st = await setup(ctx, { program });
    const auth = st.mintAuthority.address;
    const cases = [
      [await mintTo(ctx, st, 2_500_000n), { type: 'mintTo', info: { account: st.accounts.a, amount: '2500000', mint: st.mint, mintAuthority: auth } }],
      [await mintTo(ctx, st, 1_500_000n, { checked: true }), { type: 'mintToChecked', info: { account: st.accounts.a, mint: st.mint, mintAuthority: auth, tokenAmount: tokenAmount(1_500_000) } }],
      [await burn(ctx, st, 1_000_000n), { type: 'burn', info: { account: st.accounts.a, amount: '1000000', authority: st.holder.address, mint: st.mint } }],
      [await burn(ctx, st, 250_000n, { checked: true }), { type: 'burnChecked', info: { account: st.accounts.a, authority: st.holder.address, mint: st.mint, tokenAmount: tokenAmount(250_000) } }],
      [await transfer(ctx, st, 100n), { type: 'transfer', info: { amount: '100', authority: st.holder.address, destination: st.accounts.b, source: st.accounts.a } }],
      [await transfer(ctx, st, 200n, { checked: true }), { type: 'transferChecked', info: { authority: st.holder.address, destination: st.accounts.b, mint: st.mint, source: st.accounts.a, tokenAmount: tokenAmount(200) } }],
    ];
    for (const [sig, parsed] of cases) {
      const tx = await getParsed(sig);
      const ix = tx.transaction.message.instructions[0];
      assert.deepEqual(ix, { parsed, program: 'spl-token', programId, stackHeight: null }, parsed.type);
      assert.equal(tx.meta.err, null);
      assert.deepEqual(tx.meta.status, { Ok: null });
      assert.equal(tx.version, 'legacy');
      assert.equal(tx.meta.loadedAddresses, undefined, 'jsonParsed omits loadedAddresses, as agave does');
      for (const k of tx.transaction.message.accountKeys) assert.deepEqual(Object.keys(k), ['pubkey', 'writable', 'signer', 'source']);
    }
    // token balances in meta
    const mintTx = await getParsed(cases[0][0]);
    assert.deepEqual(mintTx.meta.preTokenBalances.map((b) => b.uiTokenAmount), [{ amount: '0', decimals: 6, uiAmount: null, uiAmountString: '0' }]);
    assert.deepEqual(mintTx.meta.postTokenBalances, [{
      accountIndex: mintTx.transaction.message.accountKeys.findIndex((k) => k.pubkey === st.accounts.a),
      mint: st.mint, uiTokenAmount: { amount: '2500000', decimals: 6, uiAmount: 2.5, uiAmountString: '2.5' }, owner: st.holder.address, programId,
    }]);
    // setup tx: createAccount + initializeMint2 + initializeAccount3
    const setupTx = await getParsed(st.setupSignature);
    const types = setupTx.transaction.message.instructions.map((i) => `${i.program}:${i.parsed.type}`);
    assert.deepEqual(types, ['system:createAccount', 'spl-token:initializeMint2', 'system:createAccount', 'spl-token:initializeAccount3', 'system:createAccount', 'spl-token:initializeAccount3']);
    assert.deepEqual(setupTx.transaction.message.instructions[1].parsed.info, { decimals: 6, mint: st.mint, mintAuthority: auth });
    // account parse program name differs for Token-2022 accounts (account-decoder), not for instructions
    const acct = await d.rpc.getAccountInfo(address(st.accounts.a), { commitment: 'confirmed', encoding: 'jsonParsed' }).send();
    assert.equal(acct.value.data.program, program === 'token' ? 'spl-token' : 'spl-token-2022');
    assert.equal(acct.value.data.parsed.info.tokenAmount.amount, String(2_500_000 + 1_500_000 - 1_000_000 - 250_000 - 300));
    const supply = await d.rpc.getTokenSupply(address(st.mint), { commitment: 'confirmed' }).send();
    assert.equal(supply.value.amount, '2750000');
    assert.equal(supply.value.uiAmountString, '2.75');
  });

  test(`${program}: multisig mint authority shows multisigMintAuthority + signers`, async () => {
    const st = await setup(ctx, { program, multisig: true });
    const [s1, s2] = st.mintAuthority.signers.map((s) => s.address);
    const a = await getParsed(await mintTo(ctx, st, 7n));
    assert.deepEqual(a.transaction.message.instructions[0].parsed, {
      type: 'mintTo', info: { account: st.accounts.a, amount: '7', mint: st.mint, multisigMintAuthority: st.mintAuthority.address, signers: [s1, s2] },
    });
    const b = await getParsed(await mintTo(ctx, st, 8n, { checked: true }));
    assert.deepEqual(b.transaction.message.instructions[0].parsed, {
      type: 'mintToChecked', info: { account: st.accounts.a, mint: st.mint, multisigMintAuthority: st.mintAuthority.address, signers: [s1, s2], tokenAmount: { amount: '8', decimals: 6, uiAmount: 0.000008, uiAmountString: '0.000008' } },
    });
    const setupTx = await getParsed(st.setupSignature);
    assert.deepEqual(setupTx.transaction.message.instructions[1].parsed, {
      type: 'initializeMultisig2', info: { m: 2, multisig: st.mintAuthority.address, signers: st.mintAuthority.signers.map((s) => s.address) },
    });
    const ms = await d.rpc.getAccountInfo(address(st.mintAuthority.address), { commitment: 'confirmed', encoding: 'jsonParsed' }).send();
    assert.deepEqual(norm(ms.value.data.parsed), { type: 'multisig', info: { numRequiredSigners: 2, numValidSigners: 3, isInitialized: true, signers: st.mintAuthority.signers.map((s) => s.address) } });
  });

  test(`${program}: failed burn (skipPreflight) lands with meta.err and the fee charged`, async () => {
    const st = await setup(ctx, { program });
    await mintTo(ctx, st, 1_000_000n);
    for (const checked of [false, true]) {
      const sig = await failingBurn(ctx, st, { checked });
      const tx = await getParsed(sig);
      const err = { InstructionError: [0, { Custom: 1 }] };
      assert.deepEqual(tx.meta.err, err);
      assert.deepEqual(tx.meta.status, { Err: err });
      assert.equal(tx.meta.fee, 10000);
      assert.equal(tx.meta.preBalances[0] - tx.meta.postBalances[0], 10000);
      assert.ok(tx.meta.logMessages.some((l) => l.includes('custom program error: 0x1')));
      assert.equal(tx.meta.postTokenBalances[0].uiTokenAmount.amount, '1000000');
      assert.equal(tx.transaction.message.instructions[0].parsed.type, checked ? 'burnChecked' : 'burn');
      const sigs = await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'confirmed', limit: 1 }).send();
      assert.equal(sigs[0].signature, sig);
      assert.deepEqual(norm(sigs[0].err), err);
      const stat = await d.rpc.getSignatureStatuses([sig]).send();
      assert.deepEqual(norm(stat.value[0].err), err);
      assert.deepEqual(norm(stat.value[0].status), { Err: err });
    }
    const supply = await d.rpc.getTokenSupply(address(st.mint), { commitment: 'confirmed' }).send();
    assert.equal(supply.value.amount, '1000000');
  });
}

test('v0 transactions: -32015 without maxSupportedTransactionVersion, json shape with it', async () => {
  const st = await setup(ctx, { program: 'token', version: 0 });
  const sig = await mintTo(ctx, st, 42n);
  const r = await d.call('getTransaction', [sig, { commitment: 'confirmed', encoding: 'jsonParsed' }]);
  assert.equal(r.error.code, -32015);
  assert.match(r.error.message, /maxSupportedTransactionVersion/);
  const j = await d.call('getTransaction', [sig, { commitment: 'confirmed', encoding: 'json', maxSupportedTransactionVersion: 0 }]);
  const t = j.result;
  assert.equal(t.version, 0);
  assert.deepEqual(t.transaction.message.addressTableLookups, []);
  assert.deepEqual(Object.keys(t.transaction.message.header).sort(), ['numReadonlySignedAccounts', 'numReadonlyUnsignedAccounts', 'numRequiredSignatures']);
  assert.deepEqual(t.meta.loadedAddresses, { writable: [], readonly: [] });
  const ix = t.transaction.message.instructions[0];
  assert.deepEqual(Object.keys(ix).sort(), ['accounts', 'data', 'programIdIndex', 'stackHeight']);
  assert.equal(ix.stackHeight, null);
  assert.equal(typeof t.meta.computeUnitsConsumed, 'number');
  assert.equal(typeof t.blockTime, 'number');
  // legacy tx without maxSupportedTransactionVersion: no "version" field
  const legacy = await d.call('getTransaction', [st.setupSignature, { commitment: 'confirmed' }]);
  assert.equal(legacy.error.code, -32015); // setup was v0 as well
  const b64 = await d.call('getTransaction', [sig, { commitment: 'confirmed', encoding: 'base64', maxSupportedTransactionVersion: 0 }]);
  assert.equal(b64.result.transaction[1], 'base64');
  const st2 = await setup(ctx, { program: 'token' });
  const l2 = await d.call('getTransaction', [st2.setupSignature, { commitment: 'confirmed' }]);
  assert.equal('version' in l2.result, false);
  assert.equal(l2.result.transaction.message.addressTableLookups, undefined);
});
