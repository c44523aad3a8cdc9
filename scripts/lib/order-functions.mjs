// Puts the wasm module's functions in the order that compresses best with gzip.
//
// The order of function bodies in the code section means nothing to the engine, but gzip only
// finds repeats within its 32 KB window: binaryen and LLVM leave similar functions (a type's
// drop glue, its clone, the shims of one kind of closure) scattered over 160 KB of code. This
// tries a few orders (the original, bodies sorted by their bytes, and greedy chains that put
// next the function sharing most 4-byte sequences with the last few placed), renumbers every
// reference for each (calls, `ref.func`, the table's elements, exports, the start function),
// gzips the whole module, and keeps the smallest. Deterministic: same input, same output.
//
// Only the function, code, global, export, start and element sections change, and only in
// function indices and body order; anything this reader does not know (an instruction, a
// value type, a custom section) fails the build, naming it, rather than producing a module
// with a stale index, and the module kept must validate.
import { gzipSync } from 'node:zlib';
import { readU32, writeU32 } from './leb128.mjs';

class Reader {
  constructor(bytes, at = 0) {
    this.bytes = bytes;
    this.at = at;
  }
  byte() {
    if (this.at >= this.bytes.length) throw new Error('order-functions: unexpected end of module');
    return this.bytes[this.at++];
  }
  u32() {
    if (this.at >= this.bytes.length) throw new Error('order-functions: unexpected end of module');
    return readU32(this.bytes, this);
  }
  /** Skips a length-prefixed byte string (a name). */
  skipBytes() {
    const length = this.u32();
    this.at += length;
  }
  /** Skips a signed or unsigned LEB128 of any width. */
  skipLeb() {
    while (this.byte() & 0x80);
  }
}

/** The value types this reader knows: one byte each (i32 i64 f32 f64 v128 funcref externref). */
const VALUE_TYPES = [0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f];

function valueType(r) {
  const t = r.byte();
  if (!VALUE_TYPES.includes(t)) throw new Error(`order-functions: unknown value type 0x${t.toString(16)}`);
}

function leb(n) {
  const out = [];
  writeU32(out, n);
  return out;
}

/**
 * Splits code (a body's instructions, or a constant expression) into byte pieces and the
 * function indices between them: `{ pieces: [Uint8Array...], funcs: [index...] }`, with one
 * more piece than indices. Reads until `end` (a body) or the `end` opcode closing depth 0.
 */
function splitCode(r, end) {
  const pieces = [];
  const funcs = [];
  let from = r.at;
  let depth = 0;
  while (end === undefined ? true : r.at < end) {
    const op = r.byte();
    switch (op) {
      case 0x02: case 0x03: case 0x04: { // block, loop, if: a block type (0x40, a value type, or a type index)
        depth++;
        const t = r.byte();
        if (t & 0x80) r.skipLeb(); // a type index of more than one byte
        else if (t >= 0x40 && t !== 0x40 && !VALUE_TYPES.includes(t)) throw new Error(`order-functions: unknown block type 0x${t.toString(16)}`);
        break;
      }
      case 0x0b: // end
        if (depth === 0 && end === undefined) {
          pieces.push(r.bytes.subarray(from, r.at));
          return { pieces, funcs };
        }
        depth--;
        break;
      case 0x0c: case 0x0d: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26:
      case 0x41: case 0x42: case 0xd0:
        r.skipLeb();
        break;
      case 0x0e: { // br_table
        const n = r.u32();
        for (let i = 0; i <= n; i++) r.skipLeb();
        break;
      }
      case 0x10: case 0xd2: // call, ref.func
        pieces.push(r.bytes.subarray(from, r.at));
        funcs.push(r.u32());
        from = r.at;
        break;
      case 0x11: // call_indirect: type, table
        r.skipLeb();
        r.skipLeb();
        break;
      case 0x1c: { // select with types
        const n = r.u32();
        for (let i = 0; i < n; i++) valueType(r);
        break;
      }
      case 0x3f: case 0x40: // memory.size, memory.grow
        r.skipLeb();
        break;
      case 0x43:
        r.at += 4;
        break;
      case 0x44:
        r.at += 8;
        break;
      case 0xfc: {
        const sub = r.u32();
        if (sub <= 7) break; // saturating float-to-int
        if (sub === 8 || sub === 10 || sub === 12 || sub === 14) { r.skipLeb(); r.skipLeb(); break; }
        if (sub === 9 || sub === 11 || sub === 13 || sub === 15 || sub === 16 || sub === 17) { r.skipLeb(); break; }
        throw new Error(`order-functions: unknown instruction 0xfc ${sub}`);
      }
      default:
        if (op >= 0x28 && op <= 0x3e) { // loads and stores: alignment, offset
          // Bit 6 of the alignment says a memory index follows (multi-memory): not read here.
          if (r.u32() >= 0x40) throw new Error('order-functions: a load or store names a memory');
          r.skipLeb();
          break;
        }
        if (op <= 0x01 || op === 0x05 || op === 0x0f || op === 0x1a || op === 0x1b || op === 0xd1 || (op >= 0x45 && op <= 0xc4)) break;
        throw new Error(`order-functions: unknown instruction 0x${op.toString(16)}`);
    }
  }
  // A body ends exactly at its size, on the `end` that closes it: anything else means the
  // reader lost its place.
  if (r.at !== end || depth !== -1) throw new Error('order-functions: a function body does not end where its size says');
  pieces.push(r.bytes.subarray(from, r.at));
  return { pieces, funcs };
}

function parse(bytes) {
  const r = new Reader(bytes, 8);
  const sections = [];
  let imported = 0;
  while (r.at < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.at;
    const end = start + size;
    const s = { id, raw: bytes.subarray(start, end) };
    if (id === 0) {
      // Names, debug info and source maps point at function indices or code offsets, which
      // reordering would leave stale: the build strips them before this step.
      const name = new TextDecoder().decode(bytes.subarray(r.at + 1, r.at + 1 + bytes[r.at]));
      throw new Error(`order-functions: custom section "${name}" would go stale; strip it first`);
    } else if (id === 2) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        r.skipBytes();
        r.skipBytes();
        const kind = r.byte();
        if (kind === 0) { imported++; r.u32(); }
        else if (kind === 1) { r.byte(); const f = r.byte(); r.u32(); if (f & 1) r.u32(); }
        else if (kind === 2) { const f = r.byte(); r.u32(); if (f & 1) r.u32(); }
        else if (kind === 3) { r.byte(); r.byte(); }
        else if (kind === 4) { r.byte(); r.u32(); }
        else throw new Error(`order-functions: unknown import kind ${kind}`);
      }
    } else if (id === 3) {
      const n = r.u32();
      s.types = [];
      for (let i = 0; i < n; i++) s.types.push(r.u32());
    } else if (id === 6) {
      const n = r.u32();
      s.globals = [];
      for (let i = 0; i < n; i++) {
        const from = r.at;
        valueType(r);
        r.byte(); // mutability
        s.globals.push({ head: bytes.subarray(from, r.at), init: splitCode(r) });
      }
    } else if (id === 7) {
      const n = r.u32();
      s.exports = [];
      for (let i = 0; i < n; i++) {
        const from = r.at;
        r.skipBytes();
        const kind = r.byte();
        s.exports.push({ head: bytes.subarray(from, r.at), kind, index: r.u32() });
      }
    } else if (id === 4) {
      // Tables: one with an initial value (0x40) could hold a `ref.func`; not read here.
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        if (bytes[r.at] === 0x40) throw new Error('order-functions: a table with an initial value is not supported');
        valueType(r);
        const flags = r.byte();
        r.u32();
        if (flags & 1) r.u32();
      }
    } else if (id === 8) {
      s.start = r.u32();
    } else if (id === 9) {
      const n = r.u32();
      s.elements = [];
      for (let i = 0; i < n; i++) {
        const flags = r.u32();
        if (flags !== 0) throw new Error(`order-functions: element segment kind ${flags} is not supported`);
        const offset = splitCode(r);
        const count = r.u32();
        const funcs = [];
        for (let j = 0; j < count; j++) funcs.push(r.u32());
        s.elements.push({ offset, funcs });
      }
    } else if (id === 10) {
      const n = r.u32();
      s.bodies = [];
      for (let i = 0; i < n; i++) {
        const size = r.u32();
        const bodyStart = r.at;
        const end = bodyStart + size;
        const whole = bytes.subarray(bodyStart, end);
        const locals = r.u32();
        for (let j = 0; j < locals; j++) { r.u32(); valueType(r); }
        const head = bytes.subarray(bodyStart, r.at);
        s.bodies.push({ whole, head, code: splitCode(r, end) });
      }
    }
    if (r.at !== end && [2, 3, 4, 6, 7, 8, 9, 10].includes(id)) {
      throw new Error(`order-functions: section ${id} not read to its end`);
    }
    r.at = end;
    sections.push(s);
  }
  const declared = sections.find((s) => s.id === 3)?.types.length ?? 0;
  const defined = sections.find((s) => s.id === 10)?.bodies.length ?? 0;
  if (declared !== defined) throw new Error(`order-functions: ${declared} functions declared, ${defined} bodies`);
  return { header: bytes.subarray(0, 8), sections, imported };
}

function emitCode(out, code, map) {
  code.pieces.forEach((piece, i) => {
    for (const b of piece) out.push(b);
    if (i < code.funcs.length) for (const b of leb(map(code.funcs[i]))) out.push(b);
  });
}

/** The module with defined functions in `order` (old defined-function positions). */
function build(module, order) {
  const { imported } = module;
  const newIndex = new Int32Array(order.length);
  order.forEach((old, pos) => { newIndex[old] = pos; });
  const map = (f) => (f < imported ? f : imported + newIndex[f - imported]);
  const parts = [module.header];
  for (const s of module.sections) {
    let body;
    if (s.id === 3) {
      body = [...leb(s.types.length)];
      for (const old of order) body.push(...leb(s.types[old]));
    } else if (s.id === 6) {
      body = [...leb(s.globals.length)];
      for (const g of s.globals) { body.push(...g.head); emitCode(body, g.init, map); }
    } else if (s.id === 7) {
      body = [...leb(s.exports.length)];
      for (const e of s.exports) body.push(...e.head, ...leb(e.kind === 0 ? map(e.index) : e.index));
    } else if (s.id === 8) {
      body = leb(map(s.start));
    } else if (s.id === 9) {
      body = [...leb(s.elements.length)];
      for (const e of s.elements) {
        body.push(0);
        emitCode(body, e.offset, map);
        body.push(...leb(e.funcs.length));
        for (const f of e.funcs) body.push(...leb(map(f)));
      }
    } else if (s.id === 10) {
      body = [...leb(order.length)];
      for (const old of order) {
        const fn = s.bodies[old];
        const code = [...fn.head];
        emitCode(code, fn.code, map);
        body.push(...leb(code.length), ...code);
      }
    }
    const content = body ? Uint8Array.from(body) : s.raw;
    parts.push(Uint8Array.from([s.id, ...leb(content.length)]), content);
  }
  return Buffer.concat(parts);
}

/**
 * Greedy chain: next is the unplaced body sharing the most 4-byte sequences with the last
 * `span` placed, divided by its own count of them to the power `norm` (a long body shares some
 * with anything). Scores are kept up to date as sequences enter and leave that window, so each
 * step is one scan.
 */
function greedy(bodies, span, norm) {
  const gramsOf = bodies.map((b) => {
    const set = new Set();
    for (let i = 0; i + 4 <= b.length; i++) set.add(b.readUInt32LE(i));
    return [...set];
  });
  const holders = new Map();
  gramsOf.forEach((grams, i) => {
    for (const g of grams) {
      const list = holders.get(g);
      if (list) list.push(i);
      else holders.set(g, [i]);
    }
  });
  const shared = new Float64Array(bodies.length);
  const scale = gramsOf.map((g) => (g.length + 1) ** -norm);
  const placed = new Uint8Array(bodies.length);
  const inWindow = new Map();
  const move = (i, d) => {
    for (const g of gramsOf[i]) {
      const before = inWindow.get(g) || 0;
      const after = before + d;
      if (after) inWindow.set(g, after);
      else inWindow.delete(g);
      if ((before === 0) !== (after === 0)) for (const j of holders.get(g)) shared[j] += d;
    }
  };
  let first = 0;
  bodies.forEach((b, i) => { if (b.length > bodies[first].length) first = i; });
  const order = [first];
  placed[first] = 1;
  move(first, 1);
  while (order.length < bodies.length) {
    let best = -1;
    let bestScore = -1;
    for (let i = 0; i < bodies.length; i++) {
      if (placed[i]) continue;
      const score = shared[i] * scale[i];
      if (score > bestScore) { bestScore = score; best = i; }
    }
    order.push(best);
    placed[best] = 1;
    move(best, 1);
    if (order.length > span) move(order[order.length - 1 - span], -1);
  }
  return order;
}

/** `bytes` with its defined functions in `order` (old positions), for tests. */
export function reorder(bytes, order) {
  return build(parse(Buffer.from(bytes)), order);
}

/** Returns `{ wasm, order, before, after }`: the best module found and its gzip -9 size. */
export function orderFunctions(bytes) {
  const module = parse(Buffer.from(bytes));
  const code = module.sections.find((s) => s.id === 10);
  if (!code) return { wasm: Buffer.from(bytes), before: 0, after: 0, order: 'none' };
  const bodies = code.bodies.map((b) => Buffer.from(b.whole));
  const identity = [...bodies.keys()];
  const candidates = [['original', identity], ['by bytes', [...identity].sort((a, b) => Buffer.compare(bodies[a], bodies[b]))]];
  // Which chain compresses best varies by a few hundred bytes from one build to the next,
  // with no setting best every time (measured over spans 1 to 12, norms 0 to 2, 3- to 6-byte
  // sequences): ten are tried, about 5 s, and only when wasm-opt's output changed.
  for (const norm of [0, 1]) for (const span of [1, 2, 3, 4, 6]) candidates.push([`greedy ${span}/${norm}`, greedy(bodies, span, norm)]);
  const gz = (wasm) => gzipSync(wasm, { level: 9 }).length;
  const original = build(module, identity);
  if (Buffer.compare(original, Buffer.from(bytes)) !== 0) {
    throw new Error('order-functions: the module does not round-trip unchanged; refusing to reorder it');
  }
  let best = { wasm: original, size: gz(original), name: 'original' };
  const before = best.size;
  for (const [name, order] of candidates.slice(1)) {
    if (new Set(order).size !== bodies.length) throw new Error(`order-functions: order "${name}" is not a permutation`);
    const wasm = build(module, order);
    const size = gz(wasm);
    if (size < best.size) best = { wasm, size, name };
  }
  // The round trip cannot catch a misread immediate taken for a call (it is written back as
  // read); a renumbered false index almost always breaks the module's types.
  if (!WebAssembly.validate(best.wasm)) throw new Error(`order-functions: the module in order "${best.name}" does not validate`);
  return { wasm: best.wasm, before, after: best.size, order: best.name };
}
