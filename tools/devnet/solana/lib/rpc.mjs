// JSON-RPC method handlers with agave's request/response shapes.
import { fromB58, fromB64, toB58, toB64, RpcError, invalidParams, uiTokenAmount, U64_MAX } from './util.mjs';
import { uiParsedInstruction, extractMemo, decodeTokenState, parsedAccountData, txErrorJson } from './parse.mjs';
import { MAX_PROCESSING_AGE } from './ledger.mjs';

export const SOLANA_CORE_VERSION = '2.2.20';
const FEATURE_SET = 3073396398;

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function config(params, i) {
  const c = params[i];
  if (c === undefined || c === null) return {};
  if (!isObj(c)) throw invalidParams('Invalid params: invalid type: expected struct config.');
  return c;
}
function pubkeyParam(v) {
  if (typeof v !== 'string') throw invalidParams('Invalid params: invalid type: expected a string.');
  let b;
  try { b = fromB58(v); } catch { b = null; }
  if (!b || b.length !== 32) throw invalidParams('Invalid param: Invalid');
  return v;
}
function signatureParam(v) {
  if (typeof v !== 'string') throw invalidParams('Invalid params: invalid type: expected a string.');
  let b;
  try { b = fromB58(v); } catch { b = null; }
  if (!b || b.length !== 64) throw invalidParams('Invalid param: Invalid');
  return v;
}
function u64Param(v, what = 'u64') {
  if (typeof v === 'bigint') return v;
  if (!Number.isInteger(v) || v < 0) throw invalidParams(`Invalid params: invalid type: expected ${what}.`);
  return v;
}

export class Rpc {
  constructor(ledger, { slotIntervalMs = 0 } = {}) {
    this.l = ledger;
    this.slotIntervalMs = slotIntervalMs;
    this.methods = {
      getHealth: () => 'ok',
      getVersion: () => ({ 'solana-core': SOLANA_CORE_VERSION, 'feature-set': FEATURE_SET }),
      getIdentity: () => ({ identity: this.l.faucet.address }),
      getGenesisHash: () => this.l.blocks.get(this.l.chain[0])?.blockhash,
      getSlot: (p) => this.view(config(p, 0)),
      getBlockHeight: (p) => this.l.block(this.view(config(p, 0))).blockHeight,
      getEpochInfo: (p) => {
        const s = this.view(config(p, 0));
        return { absoluteSlot: s, blockHeight: this.l.block(s).blockHeight, epoch: Math.floor(s / 432000), slotIndex: s % 432000, slotsInEpoch: 432000, transactionCount: this.l.totalTransactions };
      },
      getFirstAvailableBlock: () => this.l.chain[0],
      getLatestBlockhash: (p) => {
        const c = config(p, 0);
        const s = this.view(c);
        const b = this.l.latestBlockhashBlock(c.commitment ?? 'finalized');
        return this.ctx(s, { blockhash: b.blockhash, lastValidBlockHeight: b.blockHeight + MAX_PROCESSING_AGE });
      },
      isBlockhashValid: (p) => {
        const s = this.view(config(p, 1));
        return this.ctx(s, this.l.isBlockhashValid(p[0]));
      },
      getFeeForMessage: (p) => {
        const s = this.view(config(p, 1));
        let n = null;
        try { n = fromB64(p[0])[0]; } catch { /* */ }
        return this.ctx(s, n == null ? null : 5000 * n);
      },
      getMinimumBalanceForRentExemption: (p) => Number(this.l.svm.minimumBalanceForRentExemption(BigInt(u64Param(p[0] ?? 0, 'usize')))),
      getBalance: (p) => {
        const a = pubkeyParam(p[0]);
        const s = this.view(config(p, 1));
        const acct = this.l.accountAt(a, s);
        return this.ctx(s, acct ? acct.lamports : 0n);
      },
      getAccountInfo: (p) => {
        const a = pubkeyParam(p[0]);
        const c = config(p, 1);
        const s = this.view(c);
        return this.ctx(s, this.uiAccount(this.l.accountAt(a, s), c, s));
      },
      getMultipleAccounts: (p) => {
        if (!Array.isArray(p[0])) throw invalidParams('Invalid params: invalid type: expected a sequence.');
        if (p[0].length > 100) throw invalidParams('Too many inputs provided; max 100');
        const c = config(p, 1);
        const s = this.view(c);
        return this.ctx(s, p[0].map((a) => this.uiAccount(this.l.accountAt(pubkeyParam(a), s), c, s)));
      },
      getTokenSupply: (p) => {
        const a = pubkeyParam(p[0]);
        const s = this.view(config(p, 1));
        const acct = this.l.accountAt(a, s);
        if (!acct) throw invalidParams('Invalid param: could not find account');
        const st = decodeTokenState(acct.owner, acct.data);
        if (!st || st.kind !== 'mint') throw invalidParams('Invalid param: not a Token mint');
        return this.ctx(s, uiTokenAmount(st.supply, st.decimals));
      },
      getTokenAccountBalance: (p) => {
        const a = pubkeyParam(p[0]);
        const s = this.view(config(p, 1));
        const acct = this.l.accountAt(a, s);
        if (!acct) throw invalidParams('Invalid param: could not find account');
        const st = decodeTokenState(acct.owner, acct.data);
        if (!st || st.kind !== 'account') throw invalidParams('Invalid param: not a Token account');
        const decimals = this.l.mintDecimalsAt(st.mint, s);
        if (decimals == null) throw invalidParams('Invalid param: could not find mint');
        return this.ctx(s, uiTokenAmount(st.amount, decimals));
      },
      getSignaturesForAddress: (p) => {
        const a = pubkeyParam(p[0]);
        const c = config(p, 1);
        const s = this.view(c, true);
        const limit = c.limit ?? 1000;
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidParams('Invalid limit; max 1000');
        const before = c.before != null ? signatureParam(c.before) : undefined;
        const until = c.until != null ? signatureParam(c.until) : undefined;
        return this.l.signaturesFor(a, s, { before, until, limit }).map((r) => ({
          signature: r.signature, slot: r.slot, err: r.err, memo: extractMemo(r.msg.instructions.map(normIx), r.keys),
          blockTime: this.l.block(r.slot).blockTime, confirmationStatus: this.l.statusOf(r.slot),
        }));
      },
      getSignatureStatuses: (p) => {
        if (!Array.isArray(p[0])) throw invalidParams('Invalid params: invalid type: expected a sequence.');
        if (p[0].length > 256) throw invalidParams('Too many inputs provided; max 256');
        const c = config(p, 1);
        const s = this.l.processedSlot;
        return this.ctx(s, p[0].map((sig) => {
          const r = this.l.txAt(signatureParam(sig), s);
          if (!r) return null;
          // without searchTransactionHistory only the status cache (recent slots) is consulted
          if (!c.searchTransactionHistory && this.l.processedSlot - r.slot > 300) return null;
          const st = this.l.statusOf(r.slot);
          const confirmations = st === 'finalized' ? null : Math.max(0, this.l.confirmedSlot >= r.slot ? this.countBlocksAbove(r.slot) : 0);
          return { slot: r.slot, confirmations, err: r.err, status: r.err ? { Err: r.err } : { Ok: null }, confirmationStatus: st };
        }));
      },
      getTransaction: (p) => {
        const sig = signatureParam(p[0]);
        const c = typeof p[1] === 'string' ? { encoding: p[1] } : config(p, 1);
        const s = this.view(c, true);
        const r = this.l.txAt(sig, s);
        if (!r) return null;
        const enc = this.encodeTx(r, c.encoding ?? 'json', c.maxSupportedTransactionVersion, s);
        return { slot: r.slot, ...enc, blockTime: this.l.block(r.slot).blockTime };
      },
      getBlock: (p) => {
        const slot = u64Param(p[0]);
        const c = typeof p[1] === 'string' ? { encoding: p[1] } : config(p, 1);
        const s = this.view(c, true);
        const b = this.blockOrError(slot, s);
        const details = c.transactionDetails ?? 'full';
        const out = { blockHeight: b.blockHeight, blockTime: b.blockTime, blockhash: b.blockhash, parentSlot: b.parentSlot, previousBlockhash: b.previousBlockhash };
        if (details === 'full' || details === 'accounts') {
          out.transactions = b.txs.map((r) => this.encodeTx(r, details === 'accounts' ? 'accounts' : (c.encoding ?? 'json'), c.maxSupportedTransactionVersion, s));
        } else if (details === 'signatures') {
          out.signatures = b.txs.map((r) => r.signature);
        } else if (details !== 'none') {
          throw invalidParams(`Invalid params: unknown variant \`${details}\`.`);
        }
        if (c.rewards !== false) out.rewards = [];
        return out;
      },
      getBlockTime: (p) => {
        const slot = u64Param(p[0]);
        return this.blockOrError(slot, this.l.finalizedSlot >= slot ? this.l.finalizedSlot : this.l.confirmedSlot).blockTime;
      },
      getBlocks: (p) => {
        const start = u64Param(p[0]);
        let end; let c;
        if (isObj(p[1])) { c = p[1]; } else { end = p[1] == null ? undefined : u64Param(p[1]); c = config(p, 2); }
        const s = this.view(c, true);
        const hi = Math.min(end ?? s, s);
        if (hi - start > 500000) throw invalidParams('Slot range too large; max 500000');
        return this.l.chain.filter((x) => x >= start && x <= hi);
      },
      getBlocksWithLimit: (p) => {
        const start = u64Param(p[0]); const limit = u64Param(p[1]);
        const s = this.view(config(p, 2), true);
        return this.l.chain.filter((x) => x >= start && x <= s).slice(0, limit);
      },
      getTransactionCount: (p) => { this.view(config(p, 0)); return this.l.totalTransactions; },
      sendTransaction: (p) => {
        const c = config(p, 1);
        const bytes = this.decodeWire(p[0], c.encoding ?? 'base58');
        return this.l.submit(bytes, { skipPreflight: !!c.skipPreflight }).signature;
      },
      simulateTransaction: (p) => this.simulate(p),
      requestAirdrop: async (p) => {
        const a = pubkeyParam(p[0]);
        const amount = u64Param(p[1]);
        return this.l.airdrop(a, amount);
      },
      // ---- control methods (not part of the Solana API)
      devnet_advanceSlots: (p) => {
        const n = p[0] ?? 1;
        if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw invalidParams('Invalid params: n must be an integer 0..1000000');
        this.l.advanceSlots(n);
        return this.status();
      },
      devnet_dropUnfinalized: () => ({ ...this.l.dropUnfinalized(), ...this.status() }),
      devnet_setFinalityLag: (p) => {
        const n = p[0];
        if (!Number.isInteger(n) || n < 0) throw invalidParams('Invalid params: lag must be a non-negative integer');
        this.l.setFinalityLag(n);
        return this.status();
      },
      devnet_setTokenAccountState: (p) => {
        this.l.setTokenAccountState(pubkeyParam(p[0]), p[1]);
        return this.status();
      },
      devnet_status: () => this.status(),
    };
  }

  status() {
    const l = this.l;
    return {
      processedSlot: l.processedSlot, confirmedSlot: l.confirmedSlot, finalizedSlot: l.finalizedSlot,
      finalityLag: l.finalityLag, blockHeight: l.head.blockHeight, transactionCount: l.totalTransactions,
      droppedSlots: l.droppedSlots, slotIntervalMs: this.slotIntervalMs, txsPerSlot: l.txsPerSlot, faucet: l.faucet.address,
    };
  }

  ctx(slot, value) { return { context: { apiVersion: SOLANA_CORE_VERSION, slot }, value }; }

  countBlocksAbove(slot) {
    let n = 0;
    for (let i = this.l.chain.length - 2; i >= 0 && this.l.chain[i] > slot; i--) n++;
    return n;
  }

  /** View slot for a config's commitment (default finalized), honouring minContextSlot. */
  view(c, confirmedOrAbove = false) {
    const commitment = c.commitment ?? 'finalized';
    if (confirmedOrAbove && commitment === 'processed') throw invalidParams('Method does not support commitment below `confirmed`');
    const s = this.l.viewSlot(commitment);
    if (c.minContextSlot != null && s < c.minContextSlot) {
      throw new RpcError(-32016, 'Minimum context slot has not been reached', { contextSlot: s });
    }
    return s;
  }

  blockOrError(slot, viewSlot) {
    if (slot > viewSlot) throw new RpcError(-32004, `Block not available for slot ${slot}`);
    const b = this.l.block(slot);
    if (!b || !b.closed) throw new RpcError(-32007, `Slot ${slot} was skipped, or missing due to ledger jump to recent snapshot`);
    return b;
  }

  decodeWire(data, encoding) {
    if (typeof data !== 'string') throw invalidParams('Invalid params: invalid type: expected a string.');
    try {
      if (encoding === 'base64') return fromB64(data);
      if (encoding === 'base58') return fromB58(data);
    } catch { /* fallthrough */ }
    if (encoding !== 'base64' && encoding !== 'base58') throw invalidParams(`Invalid params: unsupported encoding: ${encoding}. Supported encodings: base58, base64`);
    throw invalidParams(`invalid transaction: failed to decode ${encoding} string`);
  }

  simulate(p) {
    const c = config(p, 1);
    const bytes = this.decodeWire(p[0], c.encoding ?? 'base58');
    const s = this.view(c);
    const l = this.l;
    const { msg } = l.decode(bytes);
    const inner = l.inner;
    const res = msg.version === 'legacy' ? inner.simulateLegacyTransaction(bytes) : inner.simulateVersionedTransaction(bytes);
    const failed = typeof res.err === 'function';
    const meta = res.meta();
    return this.ctx(s, {
      accounts: null, err: failed ? txErrorJson(res.err()) : null, innerInstructions: null,
      loadedAccountsDataSize: 0, logs: meta.logs(), replacementBlockhash: null, returnData: null,
      unitsConsumed: meta.computeUnitsConsumed(),
    });
  }

  uiAccount(acct, c, slot) {
    if (!acct) return null;
    const enc = c.encoding ?? 'binary';
    let data = acct.data;
    if (c.dataSlice && enc !== 'jsonParsed') data = data.subarray(c.dataSlice.offset, c.dataSlice.offset + c.dataSlice.length);
    let ui;
    if (enc === 'base64') ui = [toB64(data), 'base64'];
    else if (enc === 'base58' || enc === 'binary') {
      if (data.length > 128) throw new RpcError(-32600, 'Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.');
      ui = enc === 'binary' ? toB58(data) : [toB58(data), 'base58'];
    } else if (enc === 'base64+zstd') throw invalidParams('Invalid params: base64+zstd is not supported by this devnet');
    else if (enc === 'jsonParsed') {
      ui = parsedAccountData(acct.owner, acct.data, (m) => this.l.mintDecimalsAt(m, slot)) ?? [toB64(acct.data), 'base64'];
    } else throw invalidParams(`Invalid params: unknown variant \`${enc}\`.`);
    return { data: ui, executable: acct.executable, lamports: acct.lamports, owner: acct.owner, rentEpoch: U64_MAX, space: BigInt(acct.data.length) };
  }

  // ------------------------------------------------------------ transaction encoding
  encodeTx(r, encoding, maxVersion, _viewSlot) {
    if (maxVersion !== undefined && maxVersion !== null) {
      if (!Number.isInteger(maxVersion)) throw invalidParams('Invalid params: invalid type: expected u8.');
      // agave reads the option as a u8 (serde) and refuses anything outside 0-255
      if (maxVersion < 0 || maxVersion > 255) throw invalidParams(`Invalid params: invalid value: integer \`${maxVersion}\`, expected u8.`);
    }
    // agave's validate_version: a legacy transaction always encodes; a numbered version needs a max at or above it
    if (r.version !== 'legacy' && (maxVersion === undefined || maxVersion === null || r.version > maxVersion)) {
      throw new RpcError(-32015, `Transaction version (${r.version}) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": ${r.version}`);
    }
    const parsed = encoding === 'jsonParsed';
    let transaction;
    if (encoding === 'base64') transaction = [toB64(r.bytes), 'base64'];
    else if (encoding === 'base58') transaction = [toB58(r.bytes), 'base58'];
    else if (encoding === 'json') transaction = { message: this.jsonMessage(r), signatures: r.sigs };
    else if (parsed) transaction = { message: this.parsedMessage(r), signatures: r.sigs };
    else if (encoding === 'accounts') transaction = { accountKeys: this.parsedAccountKeys(r), signatures: r.sigs };
    else throw invalidParams(`Invalid params: unknown variant \`${encoding}\`, expected one of \`binary\`, \`base64\`, \`base58\`, \`json\`, \`jsonParsed\`.`);
    const out = { transaction, meta: this.meta(r, parsed, encoding === 'accounts') };
    if (maxVersion !== undefined && maxVersion !== null) out.version = r.version;
    return out;
  }

  jsonMessage(r) {
    const m = r.msg;
    const msg = {
      accountKeys: m.staticAccounts,
      header: {
        numReadonlySignedAccounts: m.header.numReadonlySignerAccounts,
        numReadonlyUnsignedAccounts: m.header.numReadonlyNonSignerAccounts,
        numRequiredSignatures: m.header.numSignerAccounts,
      },
      instructions: m.instructions.map((ix) => {
        const n = normIx(ix);
        return { accounts: n.accounts, data: toB58(n.data), programIdIndex: n.programIdIndex, stackHeight: null };
      }),
      recentBlockhash: m.lifetimeToken,
    };
    if (r.version === 0) msg.addressTableLookups = lookupsJson(m); // legacy and v1 have no lookup tables
    return msg;
  }

  parsedAccountKeys(r) {
    const m = r.msg;
    const nSig = m.header.numSignerAccounts;
    const nStatic = m.staticAccounts.length;
    const programIdx = new Set(m.instructions.map((ix) => ix.programAddressIndex));
    return r.keys.map((pubkey, i) => {
      let writable; let source = 'transaction';
      if (i < nSig) writable = i < nSig - m.header.numReadonlySignerAccounts;
      else if (i < nStatic) writable = i < nStatic - m.header.numReadonlyNonSignerAccounts;
      else { source = 'lookupTable'; writable = i < nStatic + r.loaded.writable.length; }
      if (programIdx.has(i)) writable = false; // agave demotes invoked program ids
      return { pubkey, writable, signer: i < nSig, source };
    });
  }

  parsedMessage(r) {
    const m = r.msg;
    const msg = {
      accountKeys: this.parsedAccountKeys(r),
      instructions: m.instructions.map((ix) => {
        const n = normIx(ix);
        return uiParsedInstruction(r.keys[n.programIdIndex], n.accounts, n.data, r.keys, null);
      }),
      recentBlockhash: m.lifetimeToken,
    };
    if (r.version === 0) msg.addressTableLookups = lookupsJson(m); // legacy and v1 have no lookup tables
    return msg;
  }

  meta(r, parsed, accountsOnly) {
    const tb = (list) => list.map((t) => ({
      accountIndex: t.accountIndex, mint: t.mint,
      // transaction-status storage turns a 0.0 uiAmount into null
      uiTokenAmount: { ...uiTokenAmount(t.amount, t.decimals), uiAmount: t.amount === 0n ? null : Number(t.amount) / 10 ** t.decimals },
      owner: t.owner, programId: t.programId,
    }));
    const meta = {
      err: r.err, status: r.err ? { Err: r.err } : { Ok: null }, fee: r.fee,
      preBalances: r.preBalances, postBalances: r.postBalances,
    };
    if (accountsOnly) {
      meta.preTokenBalances = tb(r.preTokenBalances);
      meta.postTokenBalances = tb(r.postTokenBalances);
      return meta;
    }
    meta.innerInstructions = r.inner.map((list, index) => ({ index, list })).filter((x) => x.list.length).map(({ index, list }) => ({
      index,
      instructions: list.map((ii) => (parsed
        ? uiParsedInstruction(r.keys[ii.programIdIndex], ii.accounts, ii.data, r.keys, ii.stackHeight)
        : { accounts: ii.accounts, data: toB58(ii.data), programIdIndex: ii.programIdIndex, stackHeight: ii.stackHeight })),
    }));
    meta.logMessages = r.logs;
    meta.preTokenBalances = tb(r.preTokenBalances);
    meta.postTokenBalances = tb(r.postTokenBalances);
    meta.rewards = [];
    if (!parsed) meta.loadedAddresses = { writable: r.loaded.writable, readonly: r.loaded.readonly };
    meta.computeUnitsConsumed = r.computeUnitsConsumed;
    return meta;
  }
}

export function normIx(ix) {
  return { programIdIndex: ix.programAddressIndex, accounts: ix.accountIndices ? Array.from(ix.accountIndices) : [], data: ix.data ?? new Uint8Array(0) };
}
function lookupsJson(m) {
  return (m.addressTableLookups ?? []).map((l) => ({
    accountKey: l.lookupTableAddress,
    readonlyIndexes: Array.from(l.readonlyIndexes ?? l.readonlyIndices ?? []),
    writableIndexes: Array.from(l.writableIndexes ?? l.writableIndices ?? []),
  }));
}
