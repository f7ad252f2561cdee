// jsonParsed of the privileged token instructions (setAuthority of every mint authority kind, freezeAccount,
// thawAccount, initializeMultisig/2, Token-2022 extension initialisers) and of mints with extensions, as agave's
// transaction-status parse_token.rs and account-decoder parse_token(_extension).rs render them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { address } from '@solana/kit';
import { startDevnet, norm } from './helpers.mjs';
import { connect, setup, setAuthority, freezeAccount, thawAccount, createMultisig, newKeypair, mintTo } from '../driver.mjs';

const TOKEN = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
const TOKEN_2022 = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
let d; let ctx;
before(async () => { d = await startDevnet(['--finality-lag', '2']); ctx = connect(d.url); });
after(() => d.stop());

const getParsed = async (sig) => norm(await d.rpc.getTransaction(sig, { commitment: 'confirmed', encoding: 'jsonParsed', maxSupportedTransactionVersion: 0 }).send());
const firstIx = async (sig) => (await getParsed(sig)).transaction.message.instructions[0];
const mintInfo = async (mint) => norm((await d.rpc.getAccountInfo(address(mint), { commitment: 'confirmed', encoding: 'jsonParsed' }).send()).value.data);

for (const [program, programId] of [['token', TOKEN], ['token2022', TOKEN_2022]]) {
  test(`${program}: setAuthority mintTokens/freezeAccount, freeze and thaw parse like agave; the mint account follows`, async () => {
    const st = await setup(ctx, { program, freezeAuthority: true });
    const oldMint = st.mintAuthority.address;
    const oldFreeze = st.authorities.freezeAccount.address;
    assert.deepEqual((await getParsed(st.setupSignature)).transaction.message.instructions[1].parsed.info,
      { decimals: 6, freezeAuthority: oldFreeze, mint: st.mint, mintAuthority: oldMint });

    const frozen = await firstIx(await freezeAccount(ctx, st));
    assert.deepEqual(frozen, { parsed: { info: { account: st.accounts.a, freezeAuthority: oldFreeze, mint: st.mint }, type: 'freezeAccount' }, program: 'spl-token', programId, stackHeight: null });
    const acct = norm(await d.rpc.getAccountInfo(address(st.accounts.a), { commitment: 'confirmed', encoding: 'jsonParsed' }).send());
    assert.equal(acct.value.data.parsed.info.state, 'frozen');
    const thawed = await firstIx(await thawAccount(ctx, st));
    assert.deepEqual(thawed.parsed, { info: { account: st.accounts.a, freezeAuthority: oldFreeze, mint: st.mint }, type: 'thawAccount' });

    const unknown = await newKeypair();
    const set = await firstIx(await setAuthority(ctx, st, 'mintTokens', { address: unknown.address }));
    assert.deepEqual(set, { parsed: { info: { authority: oldMint, authorityType: 'mintTokens', mint: st.mint, newAuthority: unknown.address }, type: 'setAuthority' }, program: 'spl-token', programId, stackHeight: null });
    const cleared = await firstIx(await setAuthority(ctx, st, 'freezeAccount', null));
    assert.deepEqual(cleared.parsed, { info: { authority: oldFreeze, authorityType: 'freezeAccount', mint: st.mint, newAuthority: null }, type: 'setAuthority' });

    assert.deepEqual(await mintInfo(st.mint), {
      program: program === 'token' ? 'spl-token' : 'spl-token-2022', space: 82,
      parsed: { info: { mintAuthority: unknown.address, supply: '0', decimals: 6, isInitialized: true, freezeAuthority: null }, type: 'mint' },
    });
    const sigs = await d.rpc.getSignaturesForAddress(address(st.mint), { commitment: 'confirmed' }).send();
    assert.equal(sigs.length, 5, 'setup, freeze, thaw and both setAuthority touch the mint: all found by the mint address');
  });

  test(`${program}: multisig authority: initializeMultisig, setAuthority to it and by it (multisigAuthority + signers)`, async () => {
    const st = await setup(ctx, { program });
    const created = await createMultisig(ctx, st, { m: 2, n: 3 });
    const ms = created.authority;
    const init = (await getParsed(created.signature)).transaction.message.instructions[1];
    assert.deepEqual(init.parsed, { info: { m: 2, multisig: ms.address, rentSysvar: 'SysvarRent111111111111111111111111111111111', signers: ms.signers.map((s) => s.address) }, type: 'initializeMultisig' });
    const toMs = await firstIx(await setAuthority(ctx, st, 'mintTokens', ms));
    assert.equal(toMs.parsed.info.newAuthority, ms.address);
    const next = await newKeypair();
    const byMs = await firstIx(await setAuthority(ctx, st, 'mintTokens', { address: next.address, secretKey: next.secretKey }));
    assert.deepEqual(byMs.parsed, {
      info: { authorityType: 'mintTokens', mint: st.mint, multisigAuthority: ms.address, newAuthority: next.address, signers: ms.signers.slice(0, 2).map((s) => s.address) },
      type: 'setAuthority',
    });
    await mintTo(ctx, st, 5n); // the new keypair authority signs
    assert.equal((await mintInfo(st.mint)).parsed.info.supply, '5');
  });
}

test('token2022: extension authorities in initialisers, setAuthority and the mint\'s jsonParsed extensions', async () => {
  const st = await setup(ctx, { program: 'token2022', freezeAuthority: true, extensions: ['mintCloseAuthority', 'permanentDelegate', 'metadataPointer'] });
  const a = st.authorities;
  const ixs = (await getParsed(st.setupSignature)).transaction.message.instructions;
  assert.deepEqual(ixs.slice(1, 4).map((i) => i.parsed), [
    { info: { mint: st.mint, newAuthority: a.closeMint.address }, type: 'initializeMintCloseAuthority' },
    { info: { delegate: a.permanentDelegate.address, mint: st.mint }, type: 'initializePermanentDelegate' },
    { info: { authority: a.metadataPointer.address, metadataAddress: st.mint, mint: st.mint }, type: 'initializeMetadataPointer' },
  ]);
  const info = (await mintInfo(st.mint));
  assert.equal(info.space, 166 + 36 + 36 + 68);
  assert.deepEqual(info.parsed.info.extensions, [
    { extension: 'mintCloseAuthority', state: { closeAuthority: a.closeMint.address } },
    { extension: 'permanentDelegate', state: { delegate: a.permanentDelegate.address } },
    { extension: 'metadataPointer', state: { authority: a.metadataPointer.address, metadataAddress: st.mint } },
  ]);
  const newClose = await newKeypair();
  const set = await firstIx(await setAuthority(ctx, st, 'closeMint', { address: newClose.address }));
  assert.deepEqual(set.parsed, { info: { authority: a.closeMint.address, authorityType: 'closeMint', mint: st.mint, newAuthority: newClose.address }, type: 'setAuthority' });
  const del = await firstIx(await setAuthority(ctx, st, 'permanentDelegate', null));
  assert.equal(del.parsed.info.authorityType, 'permanentDelegate');
  const after2 = await mintInfo(st.mint);
  assert.deepEqual(after2.parsed.info.extensions.slice(0, 2), [
    { extension: 'mintCloseAuthority', state: { closeAuthority: newClose.address } },
    { extension: 'permanentDelegate', state: { delegate: null } },
  ]);
  assert.deepEqual(Object.keys(after2.parsed.info), ['mintAuthority', 'supply', 'decimals', 'isInitialized', 'freezeAuthority', 'extensions']);
});
