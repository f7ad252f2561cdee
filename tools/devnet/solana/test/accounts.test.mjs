// getMultipleAccounts jsonParsed of token accounts (agave rpc.rs: at most MAX_MULTIPLE_ACCOUNTS = 100 keys, -32602
// "Too many inputs provided; max 100"; one context slot for all; null for a missing account; UiTokenAccount.state
// "initialized" | "frozen"), the devnet_setTokenAccountState control, and the token-metadata interface as agave's
// parse_token/extension/token_metadata.rs and account-decoder's UiTokenMetadata render it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startDevnet, norm } from './helpers.mjs';
import { connect, setup, freezeAccount, newKeypair } from '../driver.mjs';
import { uiParsedInstruction, parsedAccountData } from '../lib/parse.mjs';
import { fromB58 } from '../lib/util.mjs';

const TOKEN_2022 = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
let d; let ctx;
before(async () => { d = await startDevnet(['--finality-lag', '2']); ctx = connect(d.url); });
after(() => d.stop());

const multiple = (keys, config = { commitment: 'confirmed', encoding: 'jsonParsed' }) => d.call('getMultipleAccounts', [keys, config]);

test('getMultipleAccounts jsonParsed: frozen and initialized token accounts, null for none, one context slot', async () => {
  const st = await setup(ctx, { program: 'token2022', freezeAuthority: true });
  await freezeAccount(ctx, st);
  const missing = (await newKeypair()).address;
  const r = await multiple([st.accounts.a, st.accounts.b, missing]);
  assert.equal(typeof r.result.context.slot, 'number');
  const [a, b, none] = r.result.value;
  assert.equal(a.data.program, 'spl-token-2022');
  assert.equal(a.data.parsed.type, 'account');
  assert.deepEqual([a.data.parsed.info.mint, a.data.parsed.info.state, b.data.parsed.info.state], [st.mint, 'frozen', 'initialized']);
  assert.equal(none, null);
});

test('getMultipleAccounts: more than 100 keys is refused as agave refuses it', async () => {
  const keys = [];
  for (let i = 0; i < 101; i++) keys.push((await newKeypair()).address);
  const r = await multiple(keys);
  assert.deepEqual(r.error, { code: -32602, message: 'Too many inputs provided; max 100' });
  assert.equal((await multiple(keys.slice(0, 100))).result.value.length, 100);
});

test('devnet_setTokenAccountState: a thaw no instruction shows, final when its slot is', async () => {
  const st = await setup(ctx, { program: 'token', freezeAuthority: true });
  await freezeAccount(ctx, st);
  await d.call('devnet_advanceSlots', [3]); // the freeze is final
  await d.call('devnet_setTokenAccountState', [st.accounts.a, 'initialized']);
  const before2 = await multiple([st.accounts.a], { commitment: 'finalized', encoding: 'jsonParsed' });
  assert.equal(before2.result.value[0].data.parsed.info.state, 'frozen', 'not final yet');
  await d.call('devnet_advanceSlots', [3]);
  const after2 = await multiple([st.accounts.a], { commitment: 'finalized', encoding: 'jsonParsed' });
  assert.equal(after2.result.value[0].data.parsed.info.state, 'initialized');
  const bad = await d.call('devnet_setTokenAccountState', [st.mint, 'frozen']);
  assert.equal(bad.error.code, -32602, 'a mint is no token account');
});

const disc = (name) => crypto.createHash('sha256').update(`spl_token_metadata_interface:${name}`).digest().subarray(0, 8);
const str = (s) => { const b = Buffer.from(s, 'utf8'); const n = Buffer.alloc(4); n.writeUInt32LE(b.length); return Buffer.concat([n, b]); };

test('token-metadata instructions parse as agave renders them', async () => {
  const [metadata, authority, mintAuthority, next] = await Promise.all([0, 1, 2, 3].map(async () => (await newKeypair()).address));
  const keys = [metadata, authority, metadata, mintAuthority, TOKEN_2022];
  const init = Buffer.concat([disc('initialize_account'), str('USD1'), str('USD1'), str('https://example.com/usd1.json')]);
  assert.deepEqual(uiParsedInstruction(TOKEN_2022, [0, 1, 2, 3], init, keys, null).parsed, {
    info: { metadata, mint: metadata, mintAuthority, name: 'USD1', symbol: 'USD1', updateAuthority: authority, uri: 'https://example.com/usd1.json' },
    type: 'initializeTokenMetadata',
  });
  const toKey = Buffer.concat([disc('update_the_authority'), Buffer.from(fromB58(next))]);
  assert.deepEqual(uiParsedInstruction(TOKEN_2022, [0, 1], toKey, keys, null).parsed, {
    info: { metadata, newAuthority: next, updateAuthority: authority }, type: 'updateTokenMetadataAuthority',
  });
  const toNone = Buffer.concat([disc('update_the_authority'), Buffer.alloc(32)]);
  assert.equal(uiParsedInstruction(TOKEN_2022, [0, 1], toNone, keys, null).parsed.info.newAuthority, null);
  const field = Buffer.concat([disc('updating_field'), Buffer.from([3]), str('issuer'), str('x')]);
  assert.deepEqual(uiParsedInstruction(TOKEN_2022, [0, 1], field, keys, null).parsed.info, { field: 'issuer', metadata, updateAuthority: authority, value: 'x' });
  const unknown = Buffer.concat([Buffer.from('0102030405060708', 'hex'), Buffer.alloc(32)]);
  assert.ok('data' in uiParsedInstruction(TOKEN_2022, [0, 1], unknown, keys, null), 'an unknown discriminator stays unparsed');
});

test('a Token-2022 mint with the tokenMetadata extension shows agave\'s UiTokenMetadata', async () => {
  const [mint, authority] = await Promise.all([0, 1].map(async () => (await newKeypair()).address));
  const base = Buffer.alloc(166);
  base.writeUInt32LE(1, 0); Buffer.from(fromB58(authority)).copy(base, 4); // mint authority
  base[44] = 6; base[45] = 1; base[165] = 1; // decimals, initialized, account type mint
  const value = Buffer.concat([Buffer.from(fromB58(authority)), Buffer.from(fromB58(mint)), str('USD1'), str('USD1'), str('https://u'),
    Buffer.from([1, 0, 0, 0]), str('issuer'), str('x')]);
  const tlv = Buffer.alloc(4); tlv.writeUInt16LE(19, 0); tlv.writeUInt16LE(value.length, 2);
  const parsed = norm(parsedAccountData(TOKEN_2022, Buffer.concat([base, tlv, value]), () => 6));
  assert.deepEqual(parsed.parsed.info.extensions, [{
    extension: 'tokenMetadata',
    state: { updateAuthority: authority, mint, name: 'USD1', symbol: 'USD1', uri: 'https://u', additionalMetadata: [['issuer', 'x']] },
  }]);
});
