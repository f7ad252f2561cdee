#!/usr/bin/env node
// Drives the devnet (or any Solana RPC) over JSON-RPC: payer, mint (Token or Token-2022, 6 decimals,
// keypair or 2-of-3 multisig mint authority), token accounts, mints/burns/transfers, failing txs, bulk load.
// Library: import { connect, setup, mintTo, burn, transfer, failingBurn, bulk } from './driver.mjs'
// CLI:     node driver.mjs --rpc URL <setup|mint|burn|transfer|fail|bulk|status> [options]   (see README.md)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  createSolanaRpc, createKeyPairSignerFromPrivateKeyBytes, createTransactionMessage, pipe,
  setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash,
  appendTransactionMessageInstructions, signTransactionMessageWithSigners, getBase64EncodedWireTransaction,
  getSignatureFromTransaction, address, lamports, setTransactionMessageConfig,
} from '@solana/kit';
import { getCreateAccountInstruction } from '@solana-program/system';
import {
  TOKEN_PROGRAM_ADDRESS, getInitializeMint2Instruction, getInitializeAccount3Instruction,
  getInitializeMultisig2Instruction, getMintToInstruction, getMintToCheckedInstruction, getBurnInstruction,
  getBurnCheckedInstruction, getTransferInstruction, getTransferCheckedInstruction,
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

/**
 * Create payer (airdrop), mint (6 decimals; authority a keypair or a 2-of-3 multisig), a holder keypair and two
 * token accounts owned by it. Returns a JSON-serialisable state.
 */
export async function setup(ctx, { program = 'token', multisig = false, version = 'legacy' } = {}) {
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
  ixs.push(
    getCreateAccountInstruction({ payer: payer.signer, newAccount: mint.signer, lamports: await rent(MINT_SIZE), space: MINT_SIZE, programAddress }),
    getInitializeMint2Instruction({ mint: mint.address, decimals: DECIMALS, mintAuthority: address(authority.address), freezeAuthority: null }, cfg),
  );
  for (const acc of [accA, accB]) {
    ixs.push(
      getCreateAccountInstruction({ payer: payer.signer, newAccount: acc.signer, lamports: await rent(ACCOUNT_SIZE), space: ACCOUNT_SIZE, programAddress }),
      getInitializeAccount3Instruction({ account: acc.address, mint: mint.address, owner: holder.address }, cfg),
    );
  }
  const setupSignature = await send(ctx, payer.signer, ixs, { version });
  return {
    rpcUrl: ctx.url, program, programId: programAddress, decimals: DECIMALS, version,
    mint: mint.address, mintAuthority: authority,
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
  if (state.mintAuthority.type === 'multisig') {
    s.multiSigners = await Promise.all(state.mintAuthority.signers.slice(0, state.mintAuthority.m).map(async (k) => (await keypairFromSecret(k.secretKey)).signer));
    s.mintAuthority = address(state.mintAuthority.address);
  } else {
    s.mintAuthority = (await keypairFromSecret(state.mintAuthority.secretKey)).signer;
    s.multiSigners = undefined;
  }
  Object.defineProperty(state, '_signers', { value: s, enumerable: false });
  return s;
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
const isMain = !!process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      rpc: { type: 'string', default: 'http://127.0.0.1:8899' }, state: { type: 'string' },
      program: { type: 'string', default: 'token' }, multisig: { type: 'boolean', default: false },
      v0: { type: 'boolean', default: false }, v1: { type: 'boolean', default: false }, amount: { type: 'string', default: '1000000' },
      checked: { type: 'boolean', default: false }, mints: { type: 'string', default: '100' },
      burns: { type: 'string', default: '0' }, batch: { type: 'string', default: '100' },
      'all-signatures': { type: 'boolean', default: false },
    },
  });
  const cmd = positionals[0];
  const ctx = connect(values.rpc);
  const out = (o) => process.stdout.write(`${JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
  const loadState = () => {
    if (!values.state) throw new Error('--state FILE is required (written by `setup`)');
    return JSON.parse(fs.readFileSync(values.state, 'utf8'));
  };
  try {
    switch (cmd) {
      case 'setup': {
        if (!['token', 'token2022'].includes(values.program)) throw new Error('--program must be token or token2022');
        const st = await setup(ctx, { program: values.program, multisig: values.multisig, version: values.v1 ? 1 : values.v0 ? 0 : 'legacy' });
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
      case 'status': out(await devnet(ctx, 'devnet_status')); break;
      case 'advance': out(await devnet(ctx, 'devnet_advanceSlots', [Number(positionals[1] ?? 1)])); break;
      case 'drop': out(await devnet(ctx, 'devnet_dropUnfinalized')); break;
      default:
        process.stderr.write('usage: node driver.mjs --rpc URL <setup|mint|burn|transfer|fail|bulk|status|advance N|drop> [--state FILE] [--program token|token2022] [--multisig] [--v0|--v1] [--amount N] [--checked] [--mints N --burns M]\n');
        process.exit(2);
    }
  } catch (e) {
    process.stderr.write(`${e.stack ?? e}\n${e.context ? JSON.stringify(e.context, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) : ''}\n`);
    process.exit(1);
  }
}
