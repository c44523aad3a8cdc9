// Shortens the names the wasm module and its wasm-bindgen glue use to talk to each other.
//
// wasm-bindgen names every import after the JS function plus a 16-digit hash
// (`__wbg_addEventListener_6a82629b3d430a48`), puts them all in a module called
// `./baton-core_bg.js`, and names closure-invoke exports after their Rust types (150+
// characters). Each name is written twice, once in the wasm and once in the glue, and hex
// hashes do not compress: about 3 KB of gzip for nothing. Emscripten shortens these names
// too (MINIFY_WASM_IMPORTS_AND_EXPORTS); this does the same after wasm-opt, before the glue is
// minified (terser would rename the glue's `wasm` variable).
//
// Only the import and export sections change; every other byte of the module is copied. The
// glue is rewritten by exact whole-word matches of the old names, and the result is checked:
// every import must be a key the glue provides and every `wasm.x` the glue reads must be an
// export, or the build fails naming the name.

import { readU32, writeU32 } from './leb128.mjs';

const GLUE_MODULE = './baton-core_bg.js';
const NEW_MODULE = 'a';

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

function readName(bytes, pos) {
  const len = readU32(bytes, pos);
  const name = utf8.decode(bytes.subarray(pos.at, pos.at + len));
  pos.at += len;
  return name;
}

function writeName(out, name) {
  const b = encoder.encode(name);
  writeU32(out, b.length);
  for (const x of b) out.push(x);
}

/// Copies one import descriptor (kind byte and its payload) from `bytes` at `pos` to `out`.
function copyImportDesc(bytes, pos, out) {
  const start = pos.at;
  const kind = bytes[pos.at++];
  const limits = () => {
    const flags = bytes[pos.at++];
    readU32(bytes, pos);
    if (flags & 1) readU32(bytes, pos);
  };
  if (kind === 0x00) readU32(bytes, pos); // function: type index
  else if (kind === 0x01) { pos.at++; limits(); } // table: reftype, limits
  else if (kind === 0x02) limits(); // memory
  else if (kind === 0x03) pos.at += 2; // global: valtype, mutability
  else if (kind === 0x04) { pos.at++; readU32(bytes, pos); } // tag
  else throw new Error(`unknown import kind 0x${kind.toString(16)}`);
  for (let i = start; i < pos.at; i++) out.push(bytes[i]);
}

/// Short names: a, b, ... z, A ... Z, then two characters, and so on (valid JS identifiers).
function shortName(i) {
  const first = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const rest = `${first}0123456789_`;
  let name = first[i % first.length];
  i = Math.floor(i / first.length);
  while (i > 0) {
    i -= 1;
    name += rest[i % rest.length];
    i = Math.floor(i / rest.length);
  }
  return name;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * @param {Uint8Array} wasm the optimised module
 * @param {string} glue wasm-bindgen's JS (not yet minified)
 * @returns {{ wasm: Uint8Array, glue: string, renamed: number }}
 */
export function minifyNames(wasm, glue) {
  const bytes = wasm;
  if (utf8.decode(bytes.subarray(0, 4)) !== '\0asm') throw new Error('not a wasm module');
  const out = Array.from(bytes.subarray(0, 8));
  const imports = new Map(); // old field name -> new
  const exports = new Map();
  const pos = { at: 8 };
  while (pos.at < bytes.length) {
    const id = bytes[pos.at++];
    const size = readU32(bytes, pos);
    const end = pos.at + size;
    if (id !== 2 && id !== 7) {
      out.push(id);
      writeU32(out, size);
      for (let i = pos.at; i < end; i++) out.push(bytes[i]);
      pos.at = end;
      continue;
    }
    const body = [];
    const count = readU32(bytes, pos);
    writeU32(body, count);
    for (let n = 0; n < count; n++) {
      if (id === 2) {
        const module = readName(bytes, pos);
        const field = readName(bytes, pos);
        if (module === GLUE_MODULE) {
          if (!imports.has(field)) imports.set(field, shortName(imports.size));
          writeName(body, NEW_MODULE);
          writeName(body, imports.get(field));
        } else {
          writeName(body, module);
          writeName(body, field);
        }
        copyImportDesc(bytes, pos, body);
      } else {
        const name = readName(bytes, pos);
        const short = shortName(exports.size);
        exports.set(name, short);
        writeName(body, short);
        body.push(bytes[pos.at++]); // kind
        const start = pos.at;
        readU32(bytes, pos); // index
        for (let i = start; i < pos.at; i++) body.push(bytes[i]);
      }
    }
    if (pos.at !== end) throw new Error(`section ${id} did not parse to its end`);
    out.push(id);
    writeU32(out, body.length);
    for (const x of body) out.push(x);
  }

  let js = glue;
  if (!js.includes(`"${GLUE_MODULE}": import0`)) throw new Error(`the glue no longer names its import module "${GLUE_MODULE}"`);
  js = js.replace(`"${GLUE_MODULE}": import0`, `${NEW_MODULE}: import0`);
  for (const [old, short] of imports) {
    const key = new RegExp(`\\b${escape(old)}(?=: function)`, 'g');
    if (!key.test(js)) throw new Error(`the module imports ${old}, which the glue does not provide`);
    js = js.replace(key, short);
  }
  for (const [old, short] of exports) {
    js = js.replace(new RegExp(`\\bwasm\\.${escape(old)}\\b`, 'g'), `wasm.${short}`);
  }
  const shorts = new Set(exports.values());
  for (const m of js.matchAll(/\bwasm\.([A-Za-z0-9_$]+)/g)) {
    if (!shorts.has(m[1])) throw new Error(`the glue reads wasm.${m[1]}, which the module does not export`);
  }
  return { wasm: Uint8Array.from(out), glue: js, renamed: imports.size + exports.size };
}
