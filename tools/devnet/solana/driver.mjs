#!/usr/bin/env node
// Drives the devnet (or any Solana RPC) over JSON-RPC: payer, mint (Token or Token-2022, 6 decimals,
// keypair or 2-of-3 multisig mint authority), token accounts, mints/burns/transfers, failing txs, bulk load.
// Governance: freeze authority, Token-2022 extension authorities (mint close, permanent delegate, metadata pointer),
// setAuthority of any authority type, freezeAccount/thawAccount, initializeMultisig.
// Library: import { connect, setup, mintTo, burn, transfer, failingBurn, bulk, setAuthority, freezeAccount,
//          thawAccount, createMultisig } from './driver.mjs'
// CLI:     node driver.mjs --rpc URL <setup|mint|burn|transfer|fail|bulk|set-authority|freeze|thaw|multisig|status> [options]
//          (see README.md)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  createSolanaRpc, createKeyPairSignerFromPrivateKeyBytes, createTransactionMessage, pipe,
  setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash,
  appendTransactionMessageInstructions, signTransactionMessageWithSigners, getBase64EncodedWireTransaction,
  getSignatureFromTransaction, address, lamports, setTransactionMessageConfig, AccountRole, getAddressEncoder,
} from '@solana/kit';
import { getCreateAccountInstruction } from '@solana-program/system';
import {
  TOKEN_PROGRAM_ADDRESS, getInitializeMint2Instruction, getInitializeAccount3Instruction,
  getInitializeMultisig2Instruction, getMintToInstruction, getMintToCheckedInstruction, getBurnInstruction,
  getBurnCheckedInstruction, getTransferInstruction, getTransferCheckedInstruction, getFreezeAccountInstruction,
  getThawAccountInstruction, getInitializeMultisigInstruction,
} from '@solana-program/token';

export const TOKEN_2022_PROGRAM_ADDRESS = address('TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb');
export const DECIMALS = 6;
const MINT_SIZE = 82n; const ACCOUNT_SIZE = 165n; const MULTISIG_SIZE = 355n;

/** A keypair whose secret can be saved: {signer, address, secretKey: number[64] (solana-keygen format)}. */
export async function newKeypair(seed = crypto.randomBytes(32)) {
  const signer = await createKeyPairSignerFromPrivateKeyBytes(new Uint8Array(seed));
  const pub = Buffer.from(new Uint8Array(await crypto.webcrypto.subtle.exportKey('raw', signer.keyPair.publicKey)));
  return { signer, address: signer.address, secretKey: [...seed, ...pub] };
}
export const keypairFromSecret = (secretKey) => newKeypair(Uint8Array.from(secretKey.slice(0, 32)));

export function connect(rpcUrl) {
  return { url: rpcUrl, rpc: createSolanaRpc(rpcUrl), blockhash: null, blockhashUses: 0 };
}

async function rawCall(ctx, body) {
  const res = await fetch(ctx.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}
/** Non-standard devnet control method, e.g. devnet('devnet_advanceSlots', [32]). */
export async function devnet(ctx, method, params = []) {
  const r = await rawCall(ctx, { jsonrpc: '2.0', id: 1, method, params });
  if (r.error) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result;
}

async function blockhash(ctx, fresh = false) {
  // refresh every 50 uses: on this devnet every transaction closes a slot, and blockhashes live 150 blocks
  if (fresh || !ctx.blockhash || ctx.blockhashUses++ >= 50) {
    ctx.blockhash = (await ctx.rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()).value;
    ctx.blockhashUses = 0;
  }
  return ctx.blockhash;
}

// A v1 transaction (SIMD-0385) carries its compute budget in the message; left unset, the budget is zero CUs and
// zero loaded bytes and the transaction fails. These are the legacy defaults for one instruction.
const V1_CONFIG = { computeUnitLimit: 200_000, loadedAccountsDataSizeLimit: 64 * 1024 * 1024 };

/** Build and sign a transaction (base64 wire) paying with feePayer (a signer). */
export async function buildTx(ctx, feePayer, ixs, { version = 'legacy', lifetime } = {}) {
  const bh = lifetime ?? await blockhash(ctx);
  const msg = pipe(
    createTransactionMessage({ version }),
    (m) => setTransactionMessageFeePayerSigner(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(bh, m),
    (m) => appendTransactionMessageInstructions(ixs, m),
    (m) => (version === 1 ? setTransactionMessageConfig(V1_CONFIG, m) : m),
  );
  const tx = await signTransactionMessageWithSigners(msg);
  return { signature: getSignatureFromTransaction(tx), wire: getBase64EncodedWireTransaction(tx) };
}

export async function send(ctx, feePayer, ixs, { skipPreflight = false, version = 'legacy' } = {}) {
  const { wire } = await buildTx(ctx, feePayer, ixs, { version });
  return ctx.rpc.sendTransaction(wire, { encoding: 'base64', skipPreflight, preflightCommitment: 'confirmed' }).send();
}

export async function airdrop(ctx, addr, amount = 10_000_000_000n) {
  return ctx.rpc.requestAirdrop(addr, lamports(BigInt(amount)), { commitment: 'confirmed' }).send();
}

const programOf = (name) => (name === 'token2022' ? TOKEN_2022_PROGRAM_ADDRESS : TOKEN_PROGRAM_ADDRESS);

// spl-token-2022 AuthorityType, in discriminant order (the u8 of SetAuthority); names as agave's UiAuthorityType.
export const AUTHORITY_TYPES = ['mintTokens', 'freezeAccount', 'accountOwner', 'closeAccount', 'transferFeeConfig',
  'withheldWithdraw', 'closeMint', 'interestRate', 'permanentDelegate', 'confidentialTransferMint',
  'transferHookProgramId', 'confidentialTransferFeeConfig', 'metadataPointer', 'groupPointer', 'groupMemberPointer',
  'scaledUiAmount', 'pause', 'permissionedBurn'];

// Mint extensions setup can add (Token-2022 only): authority type they carry, TLV value length, init instruction.
// None of them needs an extension on the mint's token accounts, so accounts stay 165 bytes.
const addressBytes = (a) => Array.from(getAddressEncoder().encode(address(a)));
const MINT_EXTENSIONS = {
  mintCloseAuthority: { authorityType: 'closeMint', length: 32, init: (auth) => [25, 1, ...addressBytes(auth)] },
  permanentDelegate: { authorityType: 'permanentDelegate', length: 32, init: (auth) => [35, ...addressBytes(auth)] },
  metadataPointer: { authorityType: 'metadataPointer', length: 64, init: (auth, mint) => [39, 0, ...addressBytes(auth), ...addressBytes(mint)] },
};
export const MINT_EXTENSION_NAMES = Object.keys(MINT_EXTENSIONS);

const keypairJson = (k) => ({ type: 'keypair', address: k.address, secretKey: k.secretKey });

/**
 * Create payer (airdrop), mint (6 decimals; authority a keypair or a 2-of-3 multisig), a holder keypair and two
 * token accounts owned by it. Returns a JSON-serialisable state.
 * freezeAuthority: also give the mint a (keypair) freeze authority. extensions (Token-2022): mint extensions from
 * MINT_EXTENSION_NAMES, each with its own keypair authority, recorded in state.authorities by authority type.
 */
export async function setup(ctx, { program = 'token', multisig = false, version = 'legacy', freezeAuthority = false, extensions = [] } = {}) {
  for (const e of extensions) {
    if (!MINT_EXTENSIONS[e]) throw new Error(`unknown mint extension '${e}' (known: ${MINT_EXTENSION_NAMES.join(', ')})`);
    if (program !== 'token2022') throw new Error(`mint extension '${e}' needs --program token2022`);
  }
  const programAddress = programOf(program);
  const cfg = { programAddress };
  const payer = await newKeypair();
  await airdrop(ctx, payer.address, 100_000_000_000n);
  const mint = await newKeypair();
  const holder = await newKeypair();
  const accA = await newKeypair(); const accB = await newKeypair();
  const rent = async (n) => (await ctx.rpc.getMinimumBalanceForRentExemption(n).send());
  const ixs = []; let authority; let multisigSigners = [];
  let msKey = null;
  if (multisig) {
    msKey = await newKeypair();
    multisigSigners = [await newKeypair(), await newKeypair(), await newKeypair()];
    ixs.push(
      getCreateAccountInstruction({ payer: payer.signer, newAccount: msKey.signer, lamports: await rent(MULTISIG_SIZE), space: MULTISIG_SIZE, programAddress }),
      getInitializeMultisig2Instruction({ multisig: msKey.address, m: 2, signers: multisigSigners.map((s) => s.address) }, cfg),
    );
    authority = { type: 'multisig', address: msKey.address, m: 2, signers: multisigSigners.map((s) => ({ address: s.address, secretKey: s.secretKey })), secretKey: msKey.secretKey };
  } else {
    const a = await newKeypair();
    authority = { type: 'keypair', address: a.address, secretKey: a.secretKey };
  }
  const freeze = freezeAuthority ? await newKeypair() : null;
  const authorities = { mintTokens: authority };
  if (freeze) authorities.freezeAccount = keypairJson(freeze);
  // Extension mints: base 165 bytes (mint + padding), the account-type byte, then one TLV (u16 type, u16 length) each.
  const mintSize = extensions.length ? 166n + BigInt(extensions.reduce((n, e) => n + 4 + MINT_EXTENSIONS[e].length, 0)) : MINT_SIZE;
  ixs.push(getCreateAccountInstruction({ payer: payer.signer, newAccount: mint.signer, lamports: await rent(mintSize), space: mintSize, programAddress }));
  for (const e of extensions) { // extension init instructions must precede InitializeMint2
    const k = await newKeypair();
    authorities[MINT_EXTENSIONS[e].authorityType] = keypairJson(k);
    ixs.push({ programAddress, accounts: [{ address: mint.address, role: AccountRole.WRITABLE }], data: new Uint8Array(MINT_EXTENSIONS[e].init(k.address, mint.address)) });
  }
  ixs.push(getInitializeMint2Instruction({ mint: mint.address, decimals: DECIMALS, mintAuthority: address(authority.address), freezeAuthority: freeze ? freeze.address : null }, cfg));
  for (const acc of [accA, accB]) {
    ixs.push(
      getCreateAccountInstruction({ payer: payer.signer, newAccount: acc.signer, lamports: await rent(ACCOUNT_SIZE), space: ACCOUNT_SIZE, programAddress }),
      getInitializeAccount3Instruction({ account: acc.address, mint: mint.address, owner: holder.address }, cfg),
    );
  }
  const setupSignature = await send(ctx, payer.signer, ixs, { version });
  return {
    rpcUrl: ctx.url, program, programId: programAddress, decimals: DECIMALS, version,
    mint: mint.address, mintAuthority: authority, authorities, extensions,
    payer: { address: payer.address, secretKey: payer.secretKey },
    holder: { address: holder.address, secretKey: holder.secretKey },
    accounts: { a: accA.address, b: accB.address },
    setupSignature,
  };
}

/** Rehydrate signers from a state object (cached on it, non-enumerable). */
async function signers(state) {
  if (state._signers) return state._signers;
  const s = { payer: (await keypairFromSecret(state.payer.secretKey)).signer, holder: (await keypairFromSecret(state.holder.secretKey)).signer };
  if (!state.mintAuthority) {
    s.mintAuthority = undefined; // set to none: nothing can mint
  } else if (!state.mintAuthority.secretKey) {
    s.mintAuthority = address(state.mintAuthority.address); // a key we do not hold: mints fail to sign
  } else if (state.mintAuthority.type === 'multisig') {
    s.multiSigners = await Promise.all(state.mintAuthority.signers.slice(0, state.mintAuthority.m).map(async (k) => (await keypairFromSecret(k.secretKey)).signer));
    s.mintAuthority = address(state.mintAuthority.address);
  } else {
    s.mintAuthority = (await keypairFromSecret(state.mintAuthority.secretKey)).signer;
    s.multiSigners = undefined;
  }
  Object.defineProperty(state, '_signers', { value: s, enumerable: false, configurable: true });
  return s;
}

/** The owner account and extra signers of an authority {type: keypair|multisig, ...} for a token instruction. */
async function authoritySigners(auth) {
  if (!auth) throw new Error('no such authority in state (setup without it, or set to none)');
  if (auth.type === 'multisig') {
    const multiSigners = await Promise.all(auth.signers.slice(0, auth.m).map(async (k) => (await keypairFromSecret(k.secretKey)).signer));
    return { owner: address(auth.address), multiSigners };
  }
  if (!auth.secretKey) throw new Error(`authority ${auth.address} has no secret key in state: it cannot sign`);
  return { owner: (await keypairFromSecret(auth.secretKey)).signer, multiSigners: [] };
}
const authorityOf = (state, type) => state.authorities?.[type] ?? (type === 'mintTokens' ? state.mintAuthority : undefined);

/**
 * SetAuthority of the mint (any mint-owned authority type, Token-2022 extension types included), signed by the
 * current authority recorded in state. newAuthority: {address, secretKey?} | {type: 'multisig', ...} | null (none).
 * The state is updated so later instructions sign with the new authority (when its secret is known).
 */
export async function setAuthorityIx(state, authorityType, newAuthority) {
  const t = AUTHORITY_TYPES.indexOf(authorityType);
  if (t < 0 || authorityType === 'accountOwner' || authorityType === 'closeAccount') {
    throw new Error(`authority type '${authorityType}' is not a mint authority (known: ${AUTHORITY_TYPES.join(', ')})`);
  }
  const { owner, multiSigners } = await authoritySigners(authorityOf(state, authorityType));
  const data = newAuthority ? [6, t, 1, ...addressBytes(newAuthority.address)] : [6, t, 0];
  const ownerMeta = typeof owner === 'string' ? { address: owner, role: AccountRole.READONLY } : { address: owner.address, role: AccountRole.READONLY_SIGNER, signer: owner };
  return {
    programAddress: address(state.programId),
    accounts: [{ address: address(state.mint), role: AccountRole.WRITABLE }, ownerMeta,
      ...multiSigners.map((m) => ({ address: m.address, role: AccountRole.READONLY_SIGNER, signer: m }))],
    data: new Uint8Array(data),
  };
}
export async function setAuthority(ctx, state, authorityType, newAuthority, { version } = {}) {
  const ix = await setAuthorityIx(state, authorityType, newAuthority);
  const signature = await send(ctx, (await signers(state)).payer, [ix], { version: version ?? state.version });
  const record = newAuthority ? (newAuthority.type ? newAuthority : { type: 'keypair', address: newAuthority.address, secretKey: newAuthority.secretKey }) : null;
  state.authorities = { ...(state.authorities ?? { mintTokens: state.mintAuthority }), [authorityType]: record };
  if (authorityType === 'mintTokens') {
    state.mintAuthority = record;
    delete state._signers;
  }
  return signature;
}

/** freezeAccount / thawAccount of one of the mint's token accounts (default accounts.a), signed by the freeze authority. */
async function freezeOrThaw(ctx, state, build, account) {
  const { owner, multiSigners } = await authoritySigners(authorityOf(state, 'freezeAccount'));
  const ix = build({ account: address(account), mint: address(state.mint), owner, multiSigners }, { programAddress: address(state.programId) });
  return send(ctx, (await signers(state)).payer, [ix], { version: state.version });
}
export const freezeAccount = (ctx, state, { account = state.accounts.a } = {}) => freezeOrThaw(ctx, state, getFreezeAccountInstruction, account);
export const thawAccount = (ctx, state, { account = state.accounts.a } = {}) => freezeOrThaw(ctx, state, getThawAccountInstruction, account);

/**
 * Creates an m-of-n multisig account of the mint's program (initializeMultisig, with the rent sysvar, or
 * initializeMultisig2 when legacy = false). Returns {signature, authority} where authority can be passed to
 * setAuthority as the new authority.
 */
export async function createMultisig(ctx, state, { m = 2, n = 3, legacy = true } = {}) {
  const programAddress = address(state.programId);
  const ms = await newKeypair();
  const keys = [];
  for (let i = 0; i < n; i++) keys.push(await newKeypair());
  const rent = await ctx.rpc.getMinimumBalanceForRentExemption(MULTISIG_SIZE).send();
  const payer = (await signers(state)).payer;
  const input = { multisig: ms.address, m, signers: keys.map((k) => k.address) };
  const ixs = [
    getCreateAccountInstruction({ payer, newAccount: ms.signer, lamports: rent, space: MULTISIG_SIZE, programAddress }),
    legacy ? getInitializeMultisigInstruction(input, { programAddress }) : getInitializeMultisig2Instruction(input, { programAddress }),
  ];
  const signature = await send(ctx, payer, ixs, { version: state.version });
  return { signature, authority: { type: 'multisig', address: ms.address, m, signers: keys.map((k) => ({ address: k.address, secretKey: k.secretKey })), secretKey: ms.secretKey } };
}

export async function mintToIx(state, amount, { checked = false, to = state.accounts.a } = {}) {
  const s = await signers(state);
  const input = { mint: address(state.mint), token: address(to), mintAuthority: s.mintAuthority, amount: BigInt(amount), multiSigners: s.multiSigners };
  const cfg = { programAddress: address(state.programId) };
  return checked ? getMintToCheckedInstruction({ ...input, decimals: state.decimals }, cfg) : getMintToInstruction(input, cfg);
}
export async function burnIx(state, amount, { checked = false, from = state.accounts.a } = {}) {
  const s = await signers(state);
  const input = { account: address(from), mint: address(state.mint), authority: s.holder, amount: BigInt(amount) };
  const cfg = { programAddress: address(state.programId) };
  return checked ? getBurnCheckedInstruction({ ...input, decimals: state.decimals }, cfg) : getBurnInstruction(input, cfg);
}

export async function mintTo(ctx, state, amount, opts = {}) {
  return send(ctx, (await signers(state)).payer, [await mintToIx(state, amount, opts)], { version: opts.version ?? state.version });
}
export async function burn(ctx, state, amount, opts = {}) {
  return send(ctx, (await signers(state)).payer, [await burnIx(state, amount, opts)], { version: opts.version ?? state.version, skipPreflight: opts.skipPreflight });
}
export async function transfer(ctx, state, amount, { checked = false, from = state.accounts.a, to = state.accounts.b, version } = {}) {
  const s = await signers(state);
  const cfg = { programAddress: address(state.programId) };
  const input = { source: address(from), destination: address(to), authority: s.holder, amount: BigInt(amount) };
  const ix = checked
    ? getTransferCheckedInstruction({ ...input, mint: address(state.mint), decimals: state.decimals }, cfg)
    : getTransferInstruction(input, cfg);
  return send(ctx, s.payer, [ix], { version: version ?? state.version });
}
/** A burn of more than the balance, sent with skipPreflight: lands as a failed transaction (fee charged). */
export async function failingBurn(ctx, state, { checked = false } = {}) {
  const bal = await ctx.rpc.getTokenAccountBalance(address(state.accounts.a), { commitment: 'processed' }).send();
  return burn(ctx, state, BigInt(bal.value.amount) + 1_000_000n, { checked, skipPreflight: true });
}

/**
 * Many transactions quickly: `mints` mintTo then `burns` burn (alternating checked/unchecked), sent as JSON-RPC
 * batches of `batch` (<= 100) sendTransaction calls, each batch checked with getSignatureStatuses.
 * Returns {count, seconds, tps, first, last, signatures}.
 */
export async function bulk(ctx, state, { mints = 100, burns = 0, amount = 1_000_000n, batch = 100 } = {}) {
  // one blockhash per batch; every transaction closes a slot and a blockhash lives 150 blocks
  batch = Math.max(1, Math.min(batch, 100));
  const s = await signers(state);
  const t0 = performance.now();
  const jobs = [];
  for (let i = 0; i < mints; i++) jobs.push(['mint', i]);
  for (let i = 0; i < burns; i++) jobs.push(['burn', i]);
  const signatures = [];
  let nonce = 0;
  for (let off = 0; off < jobs.length; off += batch) {
    const bh = await blockhash(ctx, true);
    const chunk = jobs.slice(off, off + batch);
    const txs = await Promise.all(chunk.map(async ([kind, i]) => {
      // a distinct amount per tx keeps every signature unique under one blockhash
      const amt = BigInt(amount) + BigInt(nonce++ % 1000);
      const ix = kind === 'mint' ? await mintToIx(state, amt, { checked: i % 2 === 1 }) : await burnIx(state, kind === 'burn' ? 1n + BigInt(i % 1000) : amt, { checked: i % 2 === 1 });
      return buildTx(ctx, s.payer, [ix], { version: state.version, lifetime: bh });
    }));
    const body = txs.map((t, j) => ({ jsonrpc: '2.0', id: j, method: 'sendTransaction', params: [t.wire, { encoding: 'base64', skipPreflight: true }] }));
    const res = await rawCall(ctx, body);
    const batchSigs = [];
    for (const r of res) {
      if (r.error) throw new Error(`bulk sendTransaction: ${r.error.code} ${r.error.message}`);
      batchSigs.push(r.result);
    }
    // skipPreflight hides drops (e.g. an expired blockhash): make sure every transaction landed
    const st = await rawCall(ctx, { jsonrpc: '2.0', id: 1, method: 'getSignatureStatuses', params: [batchSigs] });
    const missing = st.result.value.findIndex((v) => v === null);
    if (missing >= 0) throw new Error(`bulk: transaction ${batchSigs[missing]} did not land`);
    signatures.push(...batchSigs);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { count: signatures.length, seconds: Number(seconds.toFixed(3)), tps: Math.round(signatures.length / seconds), first: signatures[0], last: signatures[signatures.length - 1], signatures };
}

// ------------------------------------------------------------------ CLI
const USAGE = 'usage: node driver.mjs --rpc URL <setup|mint|burn|transfer|fail|bulk|set-authority|freeze|thaw|multisig|status|advance N|drop> [--state FILE] [--program token|token2022] [--multisig] [--freeze-authority] [--extensions a,b] [--v0|--v1] [--amount N] [--checked] [--mints N --burns M] [--type T --to ADDR|--to-new|--none] [--account a|b|ADDR] [--m M --n N [--assign TYPE]]\n'
  + '       node driver.mjs --serve   (one JSON array of such arguments per stdin line; one JSON reply per stdout line)\n';

class UsageError extends Error {}

/** Runs one CLI command (argv without node and the script) and returns what it prints as JSON. */
export async function runCommand(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rpc: { type: 'string', default: 'http://127.0.0.1:8899' }, state: { type: 'string' },
      program: { type: 'string', default: 'token' }, multisig: { type: 'boolean', default: false },
      v0: { type: 'boolean', default: false }, v1: { type: 'boolean', default: false }, amount: { type: 'string', default: '1000000' },
      checked: { type: 'boolean', default: false }, mints: { type: 'string', default: '100' },
      burns: { type: 'string', default: '0' }, batch: { type: 'string', default: '100' },
      'all-signatures': { type: 'boolean', default: false },
      'freeze-authority': { type: 'boolean', default: false }, extensions: { type: 'string', default: '' },
      type: { type: 'string', default: 'mintTokens' }, to: { type: 'string' }, 'to-new': { type: 'boolean', default: false },
      none: { type: 'boolean', default: false }, account: { type: 'string', default: 'a' }, m: { type: 'string', default: '2' },
      n: { type: 'string', default: '3' }, assign: { type: 'string' },
    },
  });
  const cmd = positionals[0];
  // a fresh connection per command: a kept blockhash would expire between commands of a long-lived --serve driver
  const ctx = connect(values.rpc);
  let result;
  const out = (o) => { result = o; };
  const loadState = () => {
    if (!values.state) throw new Error('--state FILE is required (written by `setup`)');
    return JSON.parse(fs.readFileSync(values.state, 'utf8'));
  };
  {
    switch (cmd) {
      case 'setup': {
        if (!['token', 'token2022'].includes(values.program)) throw new Error('--program must be token or token2022');
        const st = await setup(ctx, {
          program: values.program, multisig: values.multisig, version: values.v1 ? 1 : values.v0 ? 0 : 'legacy',
          freezeAuthority: values['freeze-authority'], extensions: values.extensions ? values.extensions.split(',') : [],
        });
        if (values.state) fs.writeFileSync(values.state, `${JSON.stringify(st, null, 2)}\n`);
        out(st);
        break;
      }
      case 'mint': out({ signature: await mintTo(ctx, loadState(), BigInt(values.amount), { checked: values.checked }) }); break;
      case 'burn': out({ signature: await burn(ctx, loadState(), BigInt(values.amount), { checked: values.checked }) }); break;
      case 'transfer': out({ signature: await transfer(ctx, loadState(), BigInt(values.amount), { checked: values.checked }) }); break;
      case 'fail': out({ signature: await failingBurn(ctx, loadState(), { checked: values.checked }) }); break;
      case 'bulk': {
        const r = await bulk(ctx, loadState(), { mints: Number(values.mints), burns: Number(values.burns), batch: Number(values.batch) });
        if (!values['all-signatures']) delete r.signatures;
        out(r);
        break;
      }
      case 'set-authority': {
        // --to ADDRESS (a key whose secret we do not hold), --to-new (a fresh keypair, kept in the state file) or --none
        const st = loadState();
        const kp = values['to-new'] ? await newKeypair() : null;
        const target = values.none ? null : kp ? { address: kp.address, secretKey: kp.secretKey } : values.to ? { address: values.to } : null;
        if (!values.none && !target) throw new Error('set-authority needs --to ADDRESS, --to-new or --none');
        const signature = await setAuthority(ctx, st, values.type, target);
        fs.writeFileSync(values.state, `${JSON.stringify(st, null, 2)}\n`);
        out({ signature, authorityType: values.type, newAuthority: target?.address ?? null });
        break;
      }
      case 'freeze': case 'thaw': {
        const st = loadState();
        const account = st.accounts[values.account] ?? values.account;
        out({ signature: await (cmd === 'freeze' ? freezeAccount : thawAccount)(ctx, st, { account }) });
        break;
      }
      case 'multisig': {
        // --assign TYPE: then setAuthority TYPE to the new multisig, keeping its signers' keys in the state file
        const st = loadState();
        const r = await createMultisig(ctx, st, { m: Number(values.m), n: Number(values.n) });
        const assigned = values.assign ? await setAuthority(ctx, st, values.assign, r.authority) : null;
        if (assigned) fs.writeFileSync(values.state, `${JSON.stringify(st, null, 2)}\n`);
        out({ signature: r.signature, multisig: r.authority.address, m: r.authority.m, signers: r.authority.signers.map((k) => k.address), assignSignature: assigned });
        break;
      }
      case 'status': out(await devnet(ctx, 'devnet_status')); break;
      case 'advance': out(await devnet(ctx, 'devnet_advanceSlots', [Number(positionals[1] ?? 1)])); break;
      case 'drop': out(await devnet(ctx, 'devnet_dropUnfinalized')); break;
      default:
        throw new UsageError(USAGE);
    }
  }
  return result;
}

const toJson = (o) => JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
const describe = (e) => `${e.stack ?? e}${e.context ? `\n${toJson(e.context)}` : ''}`;

/**
 * --serve: one process for many commands. Starting node and loading @solana/kit costs about half a second of CPU,
 * paid once instead of per command. Commands run one at a time, in the order they arrive.
 */
async function serve() {
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    let reply;
    try {
      reply = { ok: true, result: await runCommand(JSON.parse(line)) };
    } catch (e) {
      reply = { ok: false, usage: e instanceof UsageError, error: e instanceof UsageError ? e.message : describe(e) };
    }
    process.stdout.write(`${toJson(reply)}\n`);
  }
}

const isMain = !!process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--serve') {
    await serve();
  } else {
    try {
      process.stdout.write(`${toJson(await runCommand(argv))}\n`);
    } catch (e) {
      process.stderr.write(e instanceof UsageError ? e.message : `${describe(e)}\n`);
      process.exit(e instanceof UsageError ? 2 : 1);
    }
  }
}
