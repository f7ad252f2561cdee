// Shared helpers: base58/base64, u64 JSON serialisation, constants.
import { getBase58Decoder, getBase58Encoder } from '@solana/kit';

const b58dec = getBase58Decoder();
const b58enc = getBase58Encoder();

/** bytes -> base58 string */
export const toB58 = (bytes) => b58dec.decode(bytes);
/** base58 string -> bytes (throws on bad input) */
export const fromB58 = (s) => new Uint8Array(b58enc.encode(s));
export const toB64 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
export const fromB64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));

export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
export const SYSTEM_PROGRAM = '11111111111111111111111111111111';
export const MEMO_V1 = 'Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo';
export const MEMO_V3 = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr';
export const ADDRESS_LOOKUP_TABLE_PROGRAM = 'AddressLookupTab1e1111111111111111111111111';
export const U64_MAX = 18446744073709551615n;
export const isTokenProgram = (p) => p === TOKEN_PROGRAM || p === TOKEN_2022_PROGRAM;

/**
 * JSON with u64 support: BigInt values are written as bare JSON integers (as agave does for u64 fields),
 * never as strings and never rounded through a double.
 */
const MARK = '@@u64:';
export function stringifyJson(value) {
  let hasBig = false;
  const s = JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') { hasBig = true; return MARK + v.toString(); }
    return v;
  });
  return hasBig ? s.replace(/"@@u64:(-?\d+)"/g, '$1') : s;
}

export const readU64 = (data, off) => Buffer.from(data.buffer, data.byteOffset, data.byteLength).readBigUInt64LE(off);
export const readU32 = (data, off) => Buffer.from(data.buffer, data.byteOffset, data.byteLength).readUInt32LE(off);
export const keyAt = (data, off) => toB58(data.subarray(off, off + 32));

/** agave's real_number_string_trimmed */
export function uiAmountString(amount, decimals) {
  const s = amount.toString();
  if (decimals === 0) return s;
  const padded = s.padStart(decimals + 1, '0');
  const int = padded.slice(0, padded.length - decimals);
  const frac = padded.slice(padded.length - decimals).replace(/0+$/, '');
  return frac.length ? `${int}.${frac}` : int;
}

/** agave's token_amount_to_ui_amount_v3 without interest-bearing / scaled-ui-amount extensions */
export function uiTokenAmount(amount, decimals) {
  const a = BigInt(amount);
  return {
    amount: a.toString(),
    decimals,
    uiAmount: Number(a) / 10 ** decimals,
    uiAmountString: uiAmountString(a, decimals),
  };
}

export class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
}
export const invalidParams = (msg) => new RpcError(-32602, msg);
