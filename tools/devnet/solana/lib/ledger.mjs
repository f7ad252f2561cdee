// The devnet's ledger: LiteSVM for execution, plus what a validator keeps and LiteSVM does not:
// slots/blocks (hash chain, parentSlot, blockHeight, blockTime), the transaction/signature index,
// per-account version history (for commitment views) and fork rollback.
import crypto from 'node:crypto';
import { LiteSVM, Clock } from 'litesvm';
import {
  getTransactionDecoder, getCompiledTransactionMessageDecoder, getTransactionEncoder,
  createTransactionMessage, setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash,
  appendTransactionMessageInstruction, signTransactionMessageWithSigners, generateKeyPairSigner, pipe, lamports,
} from '@solana/kit';
import { getTransferSolInstruction } from '@solana-program/system';
import { toB58, fromB58, isTokenProgram, SYSTEM_PROGRAM, RpcError, readU64 } from './util.mjs';
import { txErrorJson, txErrorText, decodeTokenState } from './parse.mjs';

const txDecoder = getTransactionDecoder();
const msgDecoder = getCompiledTransactionMessageDecoder();
const txEncoder = getTransactionEncoder();

export const MAX_PROCESSING_AGE = 150; // blocks a blockhash stays valid (agave MAX_PROCESSING_AGE)
const LAMPORTS_PER_SIGNATURE = 5000n;
const SLOTS_PER_EPOCH = 432000;
const FAUCET_LAMPORTS = 500_000_000n * 1_000_000_000n;

const randomHash = () => toB58(crypto.randomBytes(32));

/** A read-only account snapshot {lamports, owner, executable, data} (null = does not exist). */
function snap(maybe) {
  if (!maybe.exists || maybe.lamports === 0n) return null;
  return { lamports: maybe.lamports, owner: maybe.programAddress, executable: maybe.executable, data: maybe.data };
}
const sameAcct = (a, b) => {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.lamports === b.lamports && a.owner === b.owner && a.executable === b.executable
    && Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)) === 0;
};

export class Ledger {
  constructor({ finalityLag = 32, txsPerSlot = 1, startSlot = 447_552_000, log = () => {} } = {}) {
    this.finalityLag = finalityLag;
    this.txsPerSlot = txsPerSlot;
    this.log = log;
    // Blockhash and duplicate checks are done here (per slot/fork), so LiteSVM's own are off.
    this.svm = new LiteSVM().withBlockhashCheck(false).withTransactionHistory(0n);
    this.inner = this.svm.inner;
    this.blocks = new Map(); // slot -> block, current fork only
    this.chain = []; // slots of the current fork, ascending (last = open slot)
    this.genesisSlot = startSlot;
    this.txBySig = new Map(); // signature -> tx record (current fork only)
    this.addrIndex = new Map(); // address -> tx records in ledger order
    this.versions = new Map(); // address -> [{slot, acct}] (slot -1 = state before first touch)
    this.execCache = new Map(); // executable accounts (programs never change here)
    this.seq = 0;
    this.totalTransactions = 0;
    this.droppedSlots = 0;
    this.clockSlot = null;
    const genesis = {
      slot: startSlot, parentSlot: startSlot - 1, blockHeight: Math.floor(startSlot * 0.96),
      blockhash: randomHash(), previousBlockhash: randomHash(), blockTime: Math.floor(Date.now() / 1000),
      txs: [], closed: true,
    };
    this._addBlock(genesis);
    this.confirmedSlot = startSlot;
    this.finalizedSlot = startSlot;
    this._openSlot(startSlot + 1, genesis);
  }

  async init() {
    this.faucet = await generateKeyPairSigner();
    this.svm.setAccount({ address: this.faucet.address, lamports: FAUCET_LAMPORTS, programAddress: SYSTEM_PROGRAM, executable: false, data: new Uint8Array(0) });
    return this;
  }

  // ------------------------------------------------------------ slots
  get head() { return this.blocks.get(this.chain[this.chain.length - 1]); }
  get processedSlot() { return this.head.slot; }

  _addBlock(b) { this.blocks.set(b.slot, b); this.chain.push(b.slot); }
  _openSlot(slot, parent) {
    this._addBlock({
      slot, parentSlot: parent.slot, blockHeight: parent.blockHeight + 1, blockhash: randomHash(),
      previousBlockhash: parent.blockhash, blockTime: Math.max(parent.blockTime, Math.floor(Date.now() / 1000)),
      txs: [], closed: false,
    });
  }

  /** Close the open slot (it becomes confirmed) and open the next one; advance finalization. */
  closeSlot() {
    const b = this.head;
    b.closed = true;
    this.confirmedSlot = b.slot;
    this._openSlot(b.slot + 1, b);
    this._advanceFinalized();
  }

  _advanceFinalized() {
    const target = this.processedSlot - this.finalityLag;
    // newest closed block on the fork with slot <= target; never moves backwards
    let lo = 0; let hi = this.chain.length - 2; let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.chain[mid] <= target) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found >= 0 && this.chain[found] > this.finalizedSlot) this.finalizedSlot = this.chain[found];
    if (this.finalizedSlot > this.confirmedSlot) this.finalizedSlot = this.confirmedSlot;
  }

  advanceSlots(n) { for (let i = 0; i < n; i++) this.closeSlot(); }

  setFinalityLag(n) { this.finalityLag = n; this._advanceFinalized(); }

  viewSlot(commitment) {
    switch (commitment) {
      case 'processed': return this.processedSlot;
      case 'confirmed': return this.confirmedSlot;
      case 'finalized': return this.finalizedSlot;
      default: throw new RpcError(-32602, `Invalid params: unknown variant \`${commitment}\`, expected one of \`processed\`, \`confirmed\`, \`finalized\``);
    }
  }

  statusOf(slot) {
    if (slot <= this.finalizedSlot) return 'finalized';
    if (slot <= this.confirmedSlot) return 'confirmed';
    return 'processed';
  }

  /** Block at slot on the current fork (closed or open), or undefined. */
  block(slot) { return this.blocks.get(slot); }

  /** Blockhash that a client should use at this commitment (processed -> newest closed block). */
  latestBlockhashBlock(commitment) {
    const s = commitment === 'processed' ? this.confirmedSlot : this.viewSlot(commitment);
    return this.blocks.get(s);
  }

  isBlockhashValid(hash) {
    const b = this._blockhashBlock(hash);
    return !!b && this.head.blockHeight - b.blockHeight <= MAX_PROCESSING_AGE;
  }
  _blockhashBlock(hash) {
    // scan the recent part of the fork only
    for (let i = this.chain.length - 2, n = 0; i >= 0 && n <= MAX_PROCESSING_AGE + 1; i--, n++) {
      const b = this.blocks.get(this.chain[i]);
      if (b.blockhash === hash) return b;
    }
    return undefined;
  }

  // ------------------------------------------------------------ accounts
  _readNow(address) {
    const c = this.execCache.get(address);
    if (c) return c;
    const a = snap(this.svm.getAccount(address));
    if (a && a.executable) this.execCache.set(address, a);
    return a;
  }

  /** Account state as of `slot` (null = none). */
  accountAt(address, slot) {
    if (slot >= this.processedSlot) return this._readNow(address);
    const v = this.versions.get(address);
    if (!v) return this._readNow(address);
    let lo = 0; let hi = v.length - 1; let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (v[mid].slot <= slot) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return v[found].acct;
  }

  _recordVersion(address, pre, post, slot) {
    let v = this.versions.get(address);
    if (!v) { v = [{ slot: -1, acct: pre }]; this.versions.set(address, v); }
    const last = v[v.length - 1];
    if (last.slot === slot) last.acct = post;
    else if (!sameAcct(last.acct, post)) v.push({ slot, acct: post });
    if (v.length > 64) { // compact: keep only the newest version at or below the finalized slot
      let keepFrom = 0;
      for (let i = 0; i < v.length; i++) if (v[i].slot <= this.finalizedSlot) keepFrom = i;
      if (keepFrom > 0) v.splice(0, keepFrom);
    }
  }

  _setAccountNow(address, acct) {
    this.execCache.delete(address);
    this.svm.setAccount(acct
      ? { address, lamports: acct.lamports, programAddress: acct.owner, executable: acct.executable, data: acct.data }
      : { address, lamports: 0n, programAddress: SYSTEM_PROGRAM, executable: false, data: new Uint8Array(0) });
  }

  /**
   * Control (not Solana API): rewrite a token account's state byte (offset 108: 1 initialized, 2 frozen) in the open
   * slot without a transaction — a freeze or thaw no instruction shows, which the governance proof must catch (the
   * Solana twin of anvil_setStorageAt). Versioned like a transaction's write, so it is final when its slot is.
   */
  setTokenAccountState(address, state) {
    const pre = this._readNow(address);
    const st = pre && decodeTokenState(pre.owner, pre.data);
    if (!st || st.kind !== 'account') throw new RpcError(-32602, `Invalid params: ${address} is not an initialized token account`);
    if (state !== 'frozen' && state !== 'initialized') throw new RpcError(-32602, 'Invalid params: state must be "frozen" or "initialized"');
    const data = Uint8Array.from(pre.data);
    data[108] = state === 'frozen' ? 2 : 1;
    const post = { ...pre, data };
    this._setAccountNow(address, post);
    this._recordVersion(address, pre, post, this.processedSlot);
  }

  mintDecimalsAt(mint, slot) {
    const a = this.accountAt(mint, slot);
    if (!a) return null;
    const st = decodeTokenState(a.owner, a.data);
    return st && st.kind === 'mint' ? st.decimals : null;
  }

  // ------------------------------------------------------------ transactions
  decode(bytes) {
    let tx; let msg;
    try {
      tx = txDecoder.decode(bytes);
      msg = msgDecoder.decode(tx.messageBytes);
    } catch (e) {
      throw new RpcError(-32602, `invalid transaction: failed to deserialize transaction: ${e.message}`);
    }
    const sigs = Object.values(tx.signatures).map((s) => (s ? toB58(s) : '1111111111111111111111111111111111111111111111111111111111111111'));
    if (!sigs.length) throw new RpcError(-32602, 'invalid transaction: Transaction has no signatures');
    return { tx, msg: msg.version === 1 ? withV1Instructions(msg) : msg, sigs };
  }

  _resolveLookups(msg) {
    const writable = []; const readonly = [];
    for (const l of msg.addressTableLookups ?? []) {
      const a = this._readNow(l.lookupTableAddress);
      if (!a) throw new RpcError(-32002, 'Transaction simulation failed: Transaction loads an address table account that doesn\'t exist', null);
      const addrs = [];
      for (let off = 56; off + 32 <= a.data.length; off += 32) addrs.push(toB58(a.data.subarray(off, off + 32)));
      for (const i of l.writableIndexes ?? l.writableIndices ?? []) writable.push(addrs[i]);
      for (const i of l.readonlyIndexes ?? l.readonlyIndices ?? []) readonly.push(addrs[i]);
    }
    return { writable, readonly };
  }

  _tokenBalances(keys, accts) {
    const out = [];
    for (let i = 0; i < keys.length; i++) {
      const a = accts[i];
      if (!a || !isTokenProgram(a.owner)) continue;
      const st = decodeTokenState(a.owner, a.data);
      if (!st || st.kind !== 'account') continue;
      const decimals = this.mintDecimalsAt(st.mint, this.processedSlot);
      if (decimals == null) continue;
      out.push({ accountIndex: i, mint: st.mint, amount: st.amount, decimals, owner: st.owner, programId: a.owner });
    }
    return out;
  }

  /**
   * Execute and (if it lands) record a wire transaction.
   * Returns {signature, landed, err}; with preflight, a failure throws -32002 and changes nothing.
   */
  submit(bytes, { skipPreflight = false } = {}) {
    const { msg, sigs } = this.decode(bytes);
    const signature = sigs[0];
    const preflightFail = (errJson, logs = [], unitsConsumed = 0) => {
      throw new RpcError(-32002, `Transaction simulation failed: ${txErrorText(errJson)}`, {
        accounts: null, err: errJson, innerInstructions: null, loadedAccountsDataSize: 0, logs,
        replacementBlockhash: null, returnData: null, unitsConsumed,
      });
    };
    if (msg.header.numSignerAccounts !== sigs.length) {
      throw new RpcError(-32602, 'invalid transaction: Transaction failed to sanitize accounts offsets correctly');
    }
    if (this.txBySig.has(signature)) {
      if (!skipPreflight) preflightFail('AlreadyProcessed');
      return { signature, landed: false, err: 'AlreadyProcessed' };
    }
    if (!this.isBlockhashValid(msg.lifetimeToken)) {
      if (!skipPreflight) preflightFail('BlockhashNotFound');
      this.log(`dropped ${signature}: blockhash not found`);
      return { signature, landed: false, err: 'BlockhashNotFound' }; // a cluster silently drops it
    }
    const loaded = this._resolveLookups(msg);
    const keys = [...msg.staticAccounts, ...loaded.writable, ...loaded.readonly];
    const slot = this.processedSlot;
    if (this.clockSlot !== slot) {
      const b = this.head;
      const epoch = BigInt(Math.floor(slot / SLOTS_PER_EPOCH));
      this.inner.setClock(new Clock(BigInt(slot), BigInt(b.blockTime), epoch, epoch + 1n, BigInt(b.blockTime)));
      this.clockSlot = slot;
    }
    const pre = keys.map((k) => this._readNow(k));
    const res = msg.version === 'legacy' ? this.inner.sendLegacyTransaction(bytes) : this.inner.sendVersionedTransaction(bytes);
    const failed = typeof res.err === 'function';
    const meta = failed ? res.meta() : res;
    const errJson = failed ? txErrorJson(res.err()) : null;
    const post = keys.map((k, i) => (pre[i] && pre[i].executable ? pre[i] : snap(this.svm.getAccount(k))));
    const feeCharged = post[0] && pre[0] && post[0].lamports < pre[0].lamports;
    if (failed) {
      const logs = meta.logs();
      if (!skipPreflight || !feeCharged) {
        // undo the fee (a preflight failure never reaches the ledger)
        keys.forEach((k, i) => { if (!sameAcct(pre[i], post[i])) this._setAccountNow(k, pre[i]); });
        if (!skipPreflight) preflightFail(errJson, logs, Number(meta.computeUnitsConsumed()));
        this.log(`dropped ${signature}: ${JSON.stringify(errJson)}`);
        return { signature, landed: false, err: errJson };
      }
    }
    const block = this.head;
    const rec = {
      signature, sigs, slot, index: block.txs.length, seq: ++this.seq, bytes, msg, version: msg.version, keys, loaded,
      err: errJson,
      fee: LAMPORTS_PER_SIGNATURE * BigInt(sigs.length),
      preBalances: pre.map((a) => (a ? a.lamports : 0n)),
      postBalances: post.map((a) => (a ? a.lamports : 0n)),
      preTokenBalances: this._tokenBalances(keys, pre),
      postTokenBalances: this._tokenBalances(keys, post),
      logs: meta.logs(),
      inner: meta.innerInstructions().map((list) => list.map((ii) => {
        const ci = ii.instruction();
        return { programIdIndex: ci.programIdIndex(), accounts: Array.from(ci.accounts()), data: ci.data(), stackHeight: ii.stackHeight() };
      })),
      computeUnitsConsumed: meta.computeUnitsConsumed(),
    };
    const touched = new Set();
    keys.forEach((k, i) => {
      if (pre[i] && pre[i].executable) return;
      if (touched.has(k)) return;
      touched.add(k);
      if (!sameAcct(pre[i], post[i]) || this.versions.has(k)) this._recordVersion(k, pre[i], post[i], slot);
      let list = this.addrIndex.get(k);
      if (!list) { list = []; this.addrIndex.set(k, list); }
      list.push(rec);
    });
    // program ids are indexed too (agave indexes every account key)
    keys.forEach((k, i) => {
      if (!(pre[i] && pre[i].executable) || touched.has(k)) return;
      touched.add(k);
      let list = this.addrIndex.get(k);
      if (!list) { list = []; this.addrIndex.set(k, list); }
      list.push(rec);
    });
    block.txs.push(rec);
    this.txBySig.set(signature, rec);
    this.totalTransactions++;
    if (this.txsPerSlot > 0 && block.txs.length >= this.txsPerSlot) this.closeSlot();
    return { signature, landed: true, err: errJson };
  }

  async airdrop(address, amount) {
    const b = this.blocks.get(this.confirmedSlot);
    const msg = pipe(
      createTransactionMessage({ version: 'legacy' }),
      (m) => setTransactionMessageFeePayerSigner(this.faucet, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: b.blockhash, lastValidBlockHeight: BigInt(b.blockHeight + MAX_PROCESSING_AGE) }, m),
      (m) => appendTransactionMessageInstruction(getTransferSolInstruction({ source: this.faucet, destination: address, amount: lamports(BigInt(amount)) }), m),
    );
    const tx = await signTransactionMessageWithSigners(msg);
    const r = this.submit(new Uint8Array(txEncoder.encode(tx)), { skipPreflight: false });
    return r.signature;
  }

  // ------------------------------------------------------------ history
  /** Transaction record visible at `slot` view, or undefined. */
  txAt(signature, viewSlot) {
    const r = this.txBySig.get(signature);
    return r && r.slot <= viewSlot ? r : undefined;
  }

  signaturesFor(address, viewSlot, { before, until, limit }) {
    const list = this.addrIndex.get(address) ?? [];
    let end = list.length - 1;
    if (before !== undefined) {
      const r = this.txBySig.get(before);
      if (!r || r.slot > viewSlot) return [];
      end = this._seqIndex(list, r.seq) - 1;
    }
    let stopSeq = -1;
    if (until !== undefined) {
      const u = this.txBySig.get(until);
      if (u) stopSeq = u.seq;
    }
    const out = [];
    for (let i = end; i >= 0 && out.length < limit; i--) {
      const r = list[i];
      if (r.seq <= stopSeq) break;
      if (r.slot > viewSlot) continue;
      out.push(r);
    }
    return out;
  }
  _seqIndex(list, seq) { // first index with list[i].seq >= seq
    let lo = 0; let hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid].seq < seq) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // ------------------------------------------------------------ forks
  /**
   * Abandon every slot above the finalized slot: its transactions vanish, account state returns to the
   * finalized slot, and the next slot (oldHead+1, so the abandoned slot numbers are skipped) builds on it.
   */
  dropUnfinalized() {
    const F = this.finalizedSlot;
    const oldHead = this.processedSlot;
    const droppedSlots = []; let droppedTxs = 0;
    const touched = new Set();
    while (this.chain[this.chain.length - 1] > F) {
      const s = this.chain.pop();
      const b = this.blocks.get(s);
      this.blocks.delete(s);
      droppedSlots.push(s);
      for (const r of b.txs) {
        droppedTxs++;
        this.txBySig.delete(r.signature);
        for (const k of r.keys) touched.add(k);
      }
    }
    for (const k of touched) {
      const list = this.addrIndex.get(k);
      if (list) { while (list.length && list[list.length - 1].slot > F) list.pop(); }
      const v = this.versions.get(k);
      if (v) {
        let changed = false;
        while (v.length > 1 && v[v.length - 1].slot > F) { v.pop(); changed = true; }
        if (changed) this._setAccountNow(k, v[v.length - 1].acct);
      }
    }
    this.totalTransactions -= droppedTxs;
    this.droppedSlots += droppedSlots.length;
    this.confirmedSlot = F;
    this.clockSlot = null;
    this._openSlot(oldHead + 1, this.blocks.get(F));
    return { finalizedSlot: F, droppedSlots: droppedSlots.reverse(), droppedTransactions: droppedTxs, newSlot: oldHead + 1 };
  }
}

export { readU64 };

/**
 * A v1 message (SIMD-0385) keeps its instructions as headers + payloads and has no address lookup tables; give it the
 * legacy/v0 `instructions` shape ({programAddressIndex, accountIndices, data}) the encoders read. Its compute budget
 * travels in the message's config, not as ComputeBudget instructions, so no instruction is added or lost.
 */
function withV1Instructions(msg) {
  const instructions = msg.instructionHeaders.map((h, i) => ({
    programAddressIndex: h.programAccountIndex,
    accountIndices: msg.instructionPayloads[i].instructionAccountIndices,
    data: msg.instructionPayloads[i].instructionData,
  }));
  return { ...msg, instructions };
}
