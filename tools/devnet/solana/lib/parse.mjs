// jsonParsed decoding, written to match agave's transaction-status (parse_token.rs, parse_system.rs,
// parse_instruction.rs) and account-decoder (parse_token.rs), plus TransactionError JSON.
import {
  toB58, keyAt, readU64, readU32, uiTokenAmount, isTokenProgram,
  TOKEN_PROGRAM, TOKEN_2022_PROGRAM, SYSTEM_PROGRAM, MEMO_V1, MEMO_V3,
} from './util.mjs';

// ---------------------------------------------------------------- errors

// Order of litesvm's (const) enums = order of the Rust enums; names are what agave serialises.
const TX_ERR = ['AccountInUse', 'AccountLoadedTwice', 'AccountNotFound', 'ProgramAccountNotFound',
  'InsufficientFundsForFee', 'InvalidAccountForFee', 'AlreadyProcessed', 'BlockhashNotFound', 'CallChainTooDeep',
  'MissingSignatureForFee', 'InvalidAccountIndex', 'SignatureFailure', 'InvalidProgramForExecution',
  'SanitizeFailure', 'ClusterMaintenance', 'AccountBorrowOutstanding', 'WouldExceedMaxBlockCostLimit',
  'UnsupportedVersion', 'InvalidWritableAccount', 'WouldExceedMaxAccountCostLimit',
  'WouldExceedAccountDataBlockLimit', 'TooManyAccountLocks', 'AddressLookupTableNotFound',
  'InvalidAddressLookupTableOwner', 'InvalidAddressLookupTableData', 'InvalidAddressLookupTableIndex',
  'InvalidRentPayingAccount', 'WouldExceedMaxVoteCostLimit', 'WouldExceedAccountDataTotalLimit',
  'MaxLoadedAccountsDataSizeExceeded', 'ResanitizationNeeded', 'InvalidLoadedAccountsDataSizeLimit',
  'UnbalancedTransaction', 'ProgramCacheHitMaxLimit', 'CommitCancelled'];
const IX_ERR = ['GenericError', 'InvalidArgument', 'InvalidInstructionData', 'InvalidAccountData',
  'AccountDataTooSmall', 'InsufficientFunds', 'IncorrectProgramId', 'MissingRequiredSignature',
  'AccountAlreadyInitialized', 'UninitializedAccount', 'UnbalancedInstruction', 'ModifiedProgramId',
  'ExternalAccountLamportSpend', 'ExternalAccountDataModified', 'ReadonlyLamportChange', 'ReadonlyDataModified',
  'DuplicateAccountIndex', 'ExecutableModified', 'RentEpochModified', 'NotEnoughAccountKeys',
  'AccountDataSizeChanged', 'AccountNotExecutable', 'AccountBorrowFailed', 'AccountBorrowOutstanding',
  'DuplicateAccountOutOfSync', 'InvalidError', 'ExecutableDataModified', 'ExecutableLamportChange',
  'ExecutableAccountNotRentExempt', 'UnsupportedProgramId', 'CallDepth', 'MissingAccount', 'ReentrancyNotAllowed',
  'MaxSeedLengthExceeded', 'InvalidSeeds', 'InvalidRealloc', 'ComputationalBudgetExceeded', 'PrivilegeEscalation',
  'ProgramEnvironmentSetupFailure', 'ProgramFailedToComplete', 'ProgramFailedToCompile', 'Immutable',
  'IncorrectAuthority', 'AccountNotRentExempt', 'InvalidAccountOwner', 'ArithmeticOverflow', 'UnsupportedSysvar',
  'IllegalOwner', 'MaxAccountsDataAllocationsExceeded', 'MaxAccountsExceeded', 'MaxInstructionTraceLengthExceeded',
  'BuiltinProgramsMustConsumeComputeUnits', 'BorshIoError'];

/** litesvm error object -> agave TransactionError JSON (serde externally tagged). */
export function txErrorJson(e) {
  if (typeof e === 'number') return TX_ERR[e] ?? `Unknown${e}`;
  const name = e?.constructor?.name ?? '';
  if (name.endsWith('InstructionError')) {
    const ie = e.err();
    let ij;
    if (typeof ie === 'number') ij = IX_ERR[ie] ?? `Unknown${ie}`;
    else if ('code' in ie) ij = { Custom: ie.code };
    else if ('msg' in ie) ij = { BorshIoError: ie.msg };
    else ij = String(ie);
    return { InstructionError: [e.index, ij] };
  }
  if (name.endsWith('DuplicateInstruction')) return { DuplicateInstruction: e.index };
  if (name.endsWith('InsufficientFundsForRent')) return { InsufficientFundsForRent: { account_index: e.accountIndex } };
  if (name.endsWith('ProgramExecutionTemporarilyRestricted')) {
    return { ProgramExecutionTemporarilyRestricted: { account_index: e.accountIndex } };
  }
  return String(e);
}

const TX_ERR_TEXT = {
  AccountNotFound: 'Attempt to debit an account but found no record of a prior credit.',
  InsufficientFundsForFee: 'Insufficient funds for fee',
  AlreadyProcessed: 'This transaction has already been processed',
  BlockhashNotFound: 'Blockhash not found',
  SignatureFailure: 'Transaction did not pass signature verification',
  SanitizeFailure: 'Transaction failed to sanitize accounts offsets correctly',
  ProgramAccountNotFound: 'Attempt to load a program that does not exist',
};
const IX_ERR_TEXT = {
  InsufficientFunds: 'insufficient funds for instruction',
  InvalidAccountData: 'invalid account data for instruction',
  InvalidInstructionData: 'invalid instruction data',
  MissingRequiredSignature: 'missing required signature for instruction',
  InvalidArgument: 'invalid program argument',
  IncorrectProgramId: 'incorrect program id for instruction',
  AccountAlreadyInitialized: 'instruction requires an uninitialized account',
  UninitializedAccount: 'instruction requires an initialized account',
  NotEnoughAccountKeys: 'insufficient account keys for instruction',
};
/** Display text of a TransactionError, as in agave's "Transaction simulation failed: <text>". */
export function txErrorText(j) {
  if (typeof j === 'string') return TX_ERR_TEXT[j] ?? j;
  if (j.InstructionError) {
    const [i, ie] = j.InstructionError;
    let t;
    if (typeof ie === 'string') t = IX_ERR_TEXT[ie] ?? ie;
    else if ('Custom' in ie) t = `custom program error: 0x${ie.Custom.toString(16)}`;
    else t = JSON.stringify(ie);
    return `Error processing Instruction ${i}: ${t}`;
  }
  return JSON.stringify(j);
}

// ---------------------------------------------------------------- instructions

const sortKeys = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

class NotParsable extends Error {}
const need = (accts, n) => { if (accts.length < n) throw new NotParsable('key mismatch'); };

/** agave parse_signers */
function parseSigners(info, lastNonSigner, keys, accts, ownerField, multisigField) {
  const owner = accts[lastNonSigner] !== undefined ? keys[accts[lastNonSigner]] : undefined;
  if (accts.length > lastNonSigner + 1) {
    const signers = accts.slice(lastNonSigner + 1).map((i) => keys[i]).filter(Boolean);
    if (owner !== undefined) info[multisigField] = owner;
    info.signers = signers;
  } else if (owner !== undefined) {
    info[ownerField] = owner;
  }
}

const AUTHORITY_TYPES = ['mintTokens', 'freezeAccount', 'accountOwner', 'closeAccount', 'transferFeeConfig',
  'withheldWithdraw', 'closeMint', 'interestRate', 'permanentDelegate', 'confidentialTransferMint',
  'transferHookProgramId', 'confidentialTransferFeeConfig', 'metadataPointer', 'groupPointer', 'groupMemberPointer',
  'scaledUiAmount', 'pause', 'permissionedBurn'];
const MINT_OWNED_AUTHORITIES = new Set(AUTHORITY_TYPES.filter((t) => t !== 'accountOwner' && t !== 'closeAccount'));

function readOptKey(d, off) { // spl-token instruction COption<Pubkey>: 1-byte tag
  if (d.length <= off) throw new NotParsable('short');
  if (d[off] === 0) return [null, off + 1];
  if (d[off] === 1 && d.length >= off + 33) return [keyAt(d, off + 1), off + 33];
  throw new NotParsable('bad option');
}
const u64At = (d, off) => { if (d.length < off + 8) throw new NotParsable('short'); return readU64(d, off); };
const u8At = (d, off) => { if (d.length < off + 1) throw new NotParsable('short'); return d[off]; };

/** Returns {type, info} or throws NotParsable. keys: string[] of the tx's account keys; accts: indices. */
export function parseTokenInstruction(data, accts, keys) {
  if (!data.length) throw new NotParsable('empty');
  if (accts.some((i) => i >= keys.length)) throw new NotParsable('index');
  const k = (pos) => { if (accts[pos] === undefined) throw new NotParsable('key'); return keys[accts[pos]]; };
  const tag = data[0];
  let info;
  switch (tag) {
    case 0: case 20: { // InitializeMint / InitializeMint2
      const decimals = u8At(data, 1);
      if (data.length < 34) throw new NotParsable('short');
      const mintAuthority = keyAt(data, 2);
      const [freeze] = readOptKey(data, 34);
      need(accts, tag === 0 ? 2 : 1);
      info = { mint: k(0), decimals, mintAuthority };
      if (tag === 0) info.rentSysvar = k(1);
      if (freeze) info.freezeAuthority = freeze;
      return { type: tag === 0 ? 'initializeMint' : 'initializeMint2', info };
    }
    case 1: need(accts, 4);
      return { type: 'initializeAccount', info: { account: k(0), mint: k(1), owner: k(2), rentSysvar: k(3) } };
    case 16: case 18: {
      if (data.length < 33) throw new NotParsable('short');
      const owner = keyAt(data, 1);
      need(accts, tag === 16 ? 3 : 2);
      info = { account: k(0), mint: k(1), owner };
      if (tag === 16) info.rentSysvar = k(2);
      return { type: tag === 16 ? 'initializeAccount2' : 'initializeAccount3', info };
    }
    case 2: case 19: {
      const m = u8At(data, 1);
      need(accts, tag === 2 ? 3 : 2);
      const skip = tag === 2 ? 2 : 1;
      info = { multisig: k(0), signers: accts.slice(skip).map((i) => keys[i]), m };
      if (tag === 2) info.rentSysvar = k(1);
      return { type: tag === 2 ? 'initializeMultisig' : 'initializeMultisig2', info };
    }
    case 3: need(accts, 3);
      info = { source: k(0), destination: k(1), amount: u64At(data, 1).toString() };
      parseSigners(info, 2, keys, accts, 'authority', 'multisigAuthority');
      return { type: 'transfer', info };
    case 4: need(accts, 3);
      info = { source: k(0), delegate: k(1), amount: u64At(data, 1).toString() };
      parseSigners(info, 2, keys, accts, 'owner', 'multisigOwner');
      return { type: 'approve', info };
    case 5: need(accts, 2);
      info = { source: k(0) };
      parseSigners(info, 1, keys, accts, 'owner', 'multisigOwner');
      return { type: 'revoke', info };
    case 6: {
      need(accts, 2);
      const at = AUTHORITY_TYPES[u8At(data, 1)];
      if (!at) throw new NotParsable('authority type');
      const [newAuthority] = readOptKey(data, 2);
      info = { [MINT_OWNED_AUTHORITIES.has(at) ? 'mint' : 'account']: k(0), authorityType: at, newAuthority };
      parseSigners(info, 1, keys, accts, 'authority', 'multisigAuthority');
      return { type: 'setAuthority', info };
    }
    case 7: need(accts, 3);
      info = { mint: k(0), account: k(1), amount: u64At(data, 1).toString() };
      parseSigners(info, 2, keys, accts, 'mintAuthority', 'multisigMintAuthority');
      return { type: 'mintTo', info };
    case 8: need(accts, 3);
      info = { account: k(0), mint: k(1), amount: u64At(data, 1).toString() };
      parseSigners(info, 2, keys, accts, 'authority', 'multisigAuthority');
      return { type: 'burn', info };
    case 9: need(accts, 3);
      info = { account: k(0), destination: k(1) };
      parseSigners(info, 2, keys, accts, 'owner', 'multisigOwner');
      return { type: 'closeAccount', info };
    case 10: case 11: need(accts, 3);
      info = { account: k(0), mint: k(1) };
      parseSigners(info, 2, keys, accts, 'freezeAuthority', 'multisigFreezeAuthority');
      return { type: tag === 10 ? 'freezeAccount' : 'thawAccount', info };
    case 12: case 13: {
      need(accts, 4);
      const tokenAmount = uiTokenAmount(u64At(data, 1), u8At(data, 9));
      info = tag === 12
        ? { source: k(0), mint: k(1), destination: k(2), tokenAmount }
        : { source: k(0), mint: k(1), delegate: k(2), tokenAmount };
      if (tag === 12) parseSigners(info, 3, keys, accts, 'authority', 'multisigAuthority');
      else parseSigners(info, 3, keys, accts, 'owner', 'multisigOwner');
      return { type: tag === 12 ? 'transferChecked' : 'approveChecked', info };
    }
    case 14: {
      need(accts, 3);
      info = { mint: k(0), account: k(1), tokenAmount: uiTokenAmount(u64At(data, 1), u8At(data, 9)) };
      parseSigners(info, 2, keys, accts, 'mintAuthority', 'multisigMintAuthority');
      return { type: 'mintToChecked', info };
    }
    case 15: {
      need(accts, 3);
      info = { account: k(0), mint: k(1), tokenAmount: uiTokenAmount(u64At(data, 1), u8At(data, 9)) };
      parseSigners(info, 2, keys, accts, 'authority', 'multisigAuthority');
      return { type: 'burnChecked', info };
    }
    case 17: need(accts, 1); return { type: 'syncNative', info: { account: k(0) } };
    case 21: need(accts, 1); return { type: 'getAccountDataSize', info: { mint: k(0) } };
    case 22: need(accts, 1); return { type: 'initializeImmutableOwner', info: { account: k(0) } };
    case 23: need(accts, 1); return { type: 'amountToUiAmount', info: { mint: k(0), amount: u64At(data, 1).toString() } };
    case 24: need(accts, 1);
      return { type: 'uiAmountToAmount', info: { mint: k(0), uiAmount: Buffer.from(data.subarray(1)).toString('utf8') } };
    // Token-2022 extension instructions that set or use a mint-level authority (agave parse_token/extension/*.rs).
    case 25: { // InitializeMintCloseAuthority { close_authority: COption<Pubkey> }
      need(accts, 1);
      const [newAuthority] = readOptKey(data, 1);
      return { type: 'initializeMintCloseAuthority', info: { mint: k(0), newAuthority } };
    }
    case 35: // InitializePermanentDelegate { delegate: Pubkey }
      need(accts, 1);
      return { type: 'initializePermanentDelegate', info: { mint: k(0), delegate: keyAtChecked(data, 1) } };
    case 39: { // MetadataPointerExtension: 0 Initialize {authority, metadataAddress}, 1 Update {metadataAddress}
      if (data.length < 2) throw new NotParsable('short');
      if (data[1] === 0) {
        need(accts, 1);
        const authority = optionalNonZeroKey(data, 2);
        const metadataAddress = optionalNonZeroKey(data, 34);
        info = { mint: k(0) };
        if (authority) info.authority = authority;
        if (metadataAddress) info.metadataAddress = metadataAddress;
        return { type: 'initializeMetadataPointer', info };
      }
      if (data[1] === 1) {
        need(accts, 2);
        const metadataAddress = optionalNonZeroKey(data, 2);
        info = { mint: k(0) };
        if (metadataAddress) info.metadataAddress = metadataAddress;
        parseSigners(info, 1, keys, accts, 'authority', 'multisigAuthority');
        return { type: 'updateMetadataPointer', info };
      }
      throw new NotParsable('metadata pointer instruction');
    }
    case 44: { // PausableExtension: 0 Initialize {authority}, 1 Pause, 2 Resume
      if (data.length < 2) throw new NotParsable('short');
      if (data[1] === 0) {
        need(accts, 1);
        return { type: 'initializePausableConfig', info: { mint: k(0), authority: optionalNonZeroKey(data, 2) } };
      }
      if (data[1] === 1 || data[1] === 2) {
        need(accts, 2);
        info = { mint: k(0) };
        parseSigners(info, 1, keys, accts, 'authority', 'multisigAuthority');
        return { type: data[1] === 1 ? 'pause' : 'resume', info };
      }
      throw new NotParsable('pausable instruction');
    }
    default: // agave tries the token-metadata interface when the data is no TokenInstruction
      if (data.length >= 8) return parseTokenMetadataInstruction(data, accts, k);
      throw new NotParsable('unsupported token instruction'); // other Token-2022 extension instructions
  }
}

// spl-token-metadata-interface instructions: an 8-byte discriminator (sha256("spl_token_metadata_interface:<name>")
// [..8]) then borsh data; rendered as agave's parse_token/extension/token_metadata.rs.
const METADATA_IX = {
  d2e11ea258b84d8d: 'initialize', dde9312db5cadcc8: 'updateField', ea122038598d25b5: 'removeKey',
  d7e4a6e45464567b: 'updateAuthority', faa6b4fa0d0cb846: 'emit',
};
function borshString(d, off) {
  if (d.length < off + 4) throw new NotParsable('short');
  const len = readU32(d, off);
  if (d.length < off + 4 + len) throw new NotParsable('short');
  return [Buffer.from(d.subarray(off + 4, off + 4 + len)).toString('utf8'), off + 4 + len];
}
function borshOptionU64(d, off) {
  const tag = u8At(d, off);
  if (tag === 0) return [null, off + 1];
  if (tag === 1) return [u64At(d, off + 1), off + 9];
  throw new NotParsable('bad option');
}
function parseTokenMetadataInstruction(data, accts, k) {
  const kind = METADATA_IX[Buffer.from(data.subarray(0, 8)).toString('hex')];
  let off = 8;
  switch (kind) {
    case 'initialize': {
      need(accts, 4);
      let name; let symbol; let uri;
      [name, off] = borshString(data, off); [symbol, off] = borshString(data, off); [uri, off] = borshString(data, off);
      return { type: 'initializeTokenMetadata', info: { metadata: k(0), updateAuthority: k(1), mint: k(2), mintAuthority: k(3), name, symbol, uri } };
    }
    case 'updateField': {
      need(accts, 2);
      const variant = u8At(data, off); off += 1;
      let field;
      if (variant === 0) field = 'name'; else if (variant === 1) field = 'symbol'; else if (variant === 2) field = 'uri';
      else if (variant === 3) [field, off] = borshString(data, off);
      else throw new NotParsable('field');
      const [value] = borshString(data, off);
      return { type: 'updateTokenMetadataField', info: { metadata: k(0), updateAuthority: k(1), field, value } };
    }
    case 'removeKey': {
      need(accts, 2);
      const idempotent = u8At(data, off) !== 0;
      const [key] = borshString(data, off + 1);
      return { type: 'removeTokenMetadataKey', info: { metadata: k(0), updateAuthority: k(1), key, idempotent } };
    }
    case 'updateAuthority':
      need(accts, 2);
      return { type: 'updateTokenMetadataAuthority', info: { metadata: k(0), updateAuthority: k(1), newAuthority: optionalNonZeroKey(data, off) } };
    case 'emit': {
      need(accts, 1);
      const info = { metadata: k(0) };
      let start; let end;
      [start, off] = borshOptionU64(data, off); [end] = borshOptionU64(data, off);
      if (start !== null) info.start = start;
      if (end !== null) info.end = end;
      return { type: 'emitTokenMetadata', info };
    }
    default: throw new NotParsable('unsupported token instruction');
  }
}

/** OptionalNonZeroPubkey (extension data): 32 bytes, all zero = None. */
function optionalNonZeroKey(d, off) {
  if (d.length < off + 32) throw new NotParsable('short');
  return d.subarray(off, off + 32).every((b) => b === 0) ? null : keyAt(d, off);
}

export function parseSystemInstruction(data, accts, keys) {
  if (data.length < 4) throw new NotParsable('short');
  const tag = readU32(data, 0);
  const k = (pos) => { if (accts[pos] === undefined || accts[pos] >= keys.length) throw new NotParsable('key'); return keys[accts[pos]]; };
  switch (tag) {
    case 0: return { type: 'createAccount', info: { source: k(0), newAccount: k(1), lamports: u64At(data, 4), space: u64At(data, 12), owner: keyAtChecked(data, 20) } };
    case 1: return { type: 'assign', info: { account: k(0), owner: keyAtChecked(data, 4) } };
    case 2: return { type: 'transfer', info: { source: k(0), destination: k(1), lamports: u64At(data, 4) } };
    case 8: return { type: 'allocate', info: { account: k(0), space: u64At(data, 4) } };
    default: throw new NotParsable('unsupported system instruction');
  }
}
function keyAtChecked(d, off) { if (d.length < off + 32) throw new NotParsable('short'); return keyAt(d, off); }

/**
 * One instruction in jsonParsed form: parsed ({program, programId, parsed, stackHeight}) or partially decoded
 * ({programId, accounts, data, stackHeight}) as agave's UiInstruction::Parsed.
 */
export function uiParsedInstruction(programId, accts, data, keys, stackHeight) {
  try {
    let program; let parsed;
    if (isTokenProgram(programId)) {
      program = 'spl-token'; // agave maps both Token and Token-2022 to ParsableProgram::SplToken
      const p = parseTokenInstruction(data, accts, keys);
      parsed = { info: sortKeys(p.info), type: p.type };
    } else if (programId === SYSTEM_PROGRAM) {
      program = 'system';
      const p = parseSystemInstruction(data, accts, keys);
      parsed = { info: sortKeys(p.info), type: p.type };
    } else if (programId === MEMO_V1 || programId === MEMO_V3) {
      program = 'spl-memo';
      parsed = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } else {
      throw new NotParsable('program');
    }
    return { parsed, program, programId, stackHeight };
  } catch (e) {
    if (!(e instanceof NotParsable) && !(e instanceof TypeError)) throw e;
    return { accounts: accts.map((i) => keys[i]), data: toB58(data), programId, stackHeight };
  }
}

/** agave extract_memos: "[len] memo" joined by "; " (null when none). */
export function extractMemo(instructions, keys) {
  const memos = [];
  for (const ix of instructions) {
    const p = keys[ix.programIdIndex];
    if (p === MEMO_V1 || p === MEMO_V3) {
      const s = Buffer.from(ix.data).toString('utf8');
      memos.push(`[${ix.data.length}] ${s}`);
    }
  }
  return memos.length ? memos.join('; ') : null;
}

// ---------------------------------------------------------------- accounts

/** Decode a token account, mint or multisig (base state only). Returns null when not one. */
export function decodeTokenState(owner, data) {
  if (!isTokenProgram(owner)) return null;
  const n = data.length;
  const is2022 = owner === TOKEN_2022_PROGRAM;
  let kind = null;
  if (n === 165) kind = 'account';
  else if (n === 82) kind = 'mint';
  else if (n === 355) kind = 'multisig';
  else if (is2022 && n > 165) kind = data[165] === 1 ? 'mint' : data[165] === 2 ? 'account' : null;
  if (kind === 'account') {
    const state = data[108];
    if (state === 0) return null;
    const opt = (off) => (readU32(data, off) === 1 ? keyAt(data, off + 4) : null);
    const isNative = readU32(data, 109) === 1;
    return {
      kind, mint: keyAt(data, 0), owner: keyAt(data, 32), amount: readU64(data, 64), delegate: opt(72),
      state: state === 2 ? 'frozen' : 'initialized', isNative, rentExemptReserve: isNative ? readU64(data, 113) : null,
      delegatedAmount: readU64(data, 121), closeAuthority: opt(129),
    };
  }
  if (kind === 'mint') {
    if (!data[45]) return null;
    const opt = (off) => (readU32(data, off) === 1 ? keyAt(data, off + 4) : null);
    const extensions = n > 165 ? mintExtensions(data) : [];
    return { kind, mintAuthority: opt(0), supply: readU64(data, 36), decimals: data[44], isInitialized: true, freezeAuthority: opt(46), extensions };
  }
  if (kind === 'multisig') {
    if (!data[2]) return null;
    const signers = [];
    for (let i = 0; i < data[1]; i++) signers.push(keyAt(data, 3 + 32 * i));
    return { kind, numRequiredSigners: data[0], numValidSigners: data[1], isInitialized: true, signers };
  }
  return null;
}

// Token-2022 ExtensionType (u16 in the TLV) -> agave's UiExtension tag; only mint extensions are listed. Those with
// authorities are decoded into agave's state objects (account-decoder parse_token_extension.rs); the others are
// shown as agave shows an extension whose state cannot be read, which this devnet's mints never carry.
const optKey = (d, off) => (d.subarray(off, off + 32).every((b) => b === 0) ? null : keyAt(d, off));
const MINT_EXTENSIONS = {
  3: ['mintCloseAuthority', 32, (v) => ({ closeAuthority: optKey(v, 0) })],
  9: ['nonTransferable', 0, null],
  12: ['permanentDelegate', 32, (v) => ({ delegate: optKey(v, 0) })],
  14: ['transferHook', 64, (v) => ({ authority: optKey(v, 0), programId: optKey(v, 32) })],
  18: ['metadataPointer', 64, (v) => ({ authority: optKey(v, 0), metadataAddress: optKey(v, 32) })],
  20: ['groupPointer', 64, (v) => ({ authority: optKey(v, 0), groupAddress: optKey(v, 32) })],
  22: ['groupMemberPointer', 64, (v) => ({ authority: optKey(v, 0), memberAddress: optKey(v, 32) })],
  26: ['pausableConfig', 33, (v) => ({ authority: optKey(v, 0), paused: v[32] !== 0 })],
  19: ['tokenMetadata', 64, tokenMetadataState],
};

/** spl-token-metadata-interface TokenMetadata (borsh, variable length) as agave's UiTokenMetadata. */
function tokenMetadataState(v) {
  let off = 64;
  let name; let symbol; let uri;
  [name, off] = borshString(v, off); [symbol, off] = borshString(v, off); [uri, off] = borshString(v, off);
  if (v.length < off + 4) throw new NotParsable('short');
  const n = readU32(v, off); off += 4;
  const additionalMetadata = [];
  for (let i = 0; i < n; i++) {
    let key; let value;
    [key, off] = borshString(v, off); [value, off] = borshString(v, off);
    additionalMetadata.push([key, value]);
  }
  return { updateAuthority: optKey(v, 0), mint: keyAt(v, 32), name, symbol, uri, additionalMetadata };
}

/** TLV entries after the account-type byte at 165: u16 type, u16 length, value (spl-token-2022 extension layout). */
function mintExtensions(data) {
  const out = [];
  let off = 166;
  while (off + 4 <= data.length) {
    const type = data[off] | (data[off + 1] << 8);
    const len = data[off + 2] | (data[off + 3] << 8);
    if (type === 0) break; // Uninitialized: the rest is padding
    const value = data.subarray(off + 4, off + 4 + len);
    const known = MINT_EXTENSIONS[type];
    let state;
    try { state = known && value.length === len && len >= known[1] && known[2] ? known[2](value) : undefined; } catch { state = null; }
    if (known && value.length === len && len >= known[1] && state !== null) {
      out.push(known[2] ? { extension: known[0], state } : { extension: known[0] });
    } else {
      out.push({ extension: 'unparseableExtension' });
    }
    off += 4 + len;
  }
  return out;
}

/** jsonParsed account data (ParsedAccount {program, parsed, space}) or null when not parsable. */
export function parsedAccountData(owner, data, decimalsOfMint) {
  const st = decodeTokenState(owner, data);
  if (!st) return null;
  const program = owner === TOKEN_PROGRAM ? 'spl-token' : 'spl-token-2022';
  let parsed;
  if (st.kind === 'account') {
    const decimals = decimalsOfMint(st.mint);
    if (decimals == null) return null;
    const info = { mint: st.mint, owner: st.owner, tokenAmount: uiTokenAmount(st.amount, decimals) };
    if (st.delegate) info.delegate = st.delegate;
    info.state = st.state;
    info.isNative = st.isNative;
    if (st.rentExemptReserve != null) info.rentExemptReserve = uiTokenAmount(st.rentExemptReserve, decimals);
    if (st.delegate) info.delegatedAmount = uiTokenAmount(st.delegatedAmount, decimals);
    if (st.closeAuthority) info.closeAuthority = st.closeAuthority;
    parsed = { info, type: 'account' };
  } else if (st.kind === 'mint') {
    parsed = {
      info: { mintAuthority: st.mintAuthority, supply: st.supply.toString(), decimals: st.decimals, isInitialized: true, freezeAuthority: st.freezeAuthority },
      type: 'mint',
    };
    if (st.extensions.length) parsed.info.extensions = st.extensions; // agave: skip_serializing_if Vec::is_empty
  } else {
    parsed = { info: { numRequiredSigners: st.numRequiredSigners, numValidSigners: st.numValidSigners, isInitialized: true, signers: st.signers }, type: 'multisig' };
  }
  return { program, parsed, space: BigInt(data.length) };
}
