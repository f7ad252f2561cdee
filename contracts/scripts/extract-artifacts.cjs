#!/usr/bin/env node
// Usage: extract-artifacts.cjs <forge out dir> <dest dir>
// Writes <dest>/<Name>.json for each contract in CONTRACTS, with a fixed key order and 2-space JSON, so a
// rebuild of unchanged sources gives byte-identical files. storageLayout drops solc's `astId` (it depends on
// which other files were in the compile job); everything else is as solc emitted it.
'use strict';
const fs = require('fs');
const path = require('path');

const CONTRACTS = [
  ['Usd1Token.sol', 'Usd1Token'],
  ['PlainToken.sol', 'PlainToken'],
  ['Usd1Proxy.sol', 'Usd1Proxy'],
];

const [outDir, destDir] = process.argv.slice(2);
if (!outDir || !destDir) {
  process.stderr.write('usage: extract-artifacts.cjs <forge out dir> <dest dir>\n');
  process.exit(2);
}
fs.mkdirSync(destDir, { recursive: true });

function sortKeys(o) {
  if (Array.isArray(o)) return o.map(sortKeys);
  if (o && typeof o === 'object') {
    const r = {};
    for (const k of Object.keys(o).sort()) r[k] = sortKeys(o[k]);
    return r;
  }
  return o;
}

function storageLayout(sl) {
  if (!sl) return null;
  return {
    storage: (sl.storage || []).map((s) => ({
      label: s.label,
      slot: s.slot,
      offset: s.offset,
      type: s.type,
      contract: s.contract,
    })),
    types: sortKeys(sl.types || {}),
  };
}

for (const [file, name] of CONTRACTS) {
  const src = path.join(outDir, file, `${name}.json`);
  const a = JSON.parse(fs.readFileSync(src, 'utf8'));
  const compiler = a.metadata && a.metadata.compiler && a.metadata.compiler.version;
  if (!compiler) throw new Error(`${src}: no metadata.compiler.version`);
  const bytecode = a.bytecode && a.bytecode.object;
  const deployed = a.deployedBytecode && a.deployedBytecode.object;
  if (!/^0x[0-9a-f]+$/.test(bytecode || '') || !/^0x[0-9a-f]+$/.test(deployed || '')) {
    throw new Error(`${src}: missing or unlinked bytecode`);
  }
  const artifact = {
    contractName: name,
    abi: a.abi,
    bytecode,
    deployedBytecode: deployed,
    compiler,
    methodIdentifiers: sortKeys(a.methodIdentifiers || {}),
    storageLayout: storageLayout(a.storageLayout),
  };
  fs.writeFileSync(path.join(destDir, `${name}.json`), JSON.stringify(artifact, null, 2) + '\n');
}
