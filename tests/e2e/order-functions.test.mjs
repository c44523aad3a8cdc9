// The build step that reorders the wasm's functions for gzip (scripts/lib/order-functions.mjs):
// a module whose functions are put in another order must compute exactly what it did, through
// calls, the table and call_indirect, exports, globals and the start function; and what the
// reader does not know is refused, never rewritten. (No browser: Node's own WebAssembly.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import binaryen from 'binaryen';
import { orderFunctions, reorder } from '../../scripts/lib/order-functions.mjs';
import { readU32 } from '../../scripts/lib/leb128.mjs';

// Five functions besides the import, calling each other directly and through the table; the
// start function writes a global through one of them.
const WAT = `(module
  (type $t (func (param i32) (result i32)))
  (import "env" "seven" (func $seven (result i32)))
  (table 3 funcref)
  (elem (i32.const 0) $double $inc $viaTable)
  (global $started (mut i32) (i32.const 0))
  (func $double (type $t) (i32.mul (local.get 0) (i32.const 2)))
  (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
  (func $viaTable (type $t) (call_indirect (type $t) (local.get 0) (i32.and (local.get 0) (i32.const 1))))
  (func $mix (export "mix") (param i32) (result i32)
    (i32.add (call $double (call $inc (local.get 0))) (i32.add (call $seven) (call $viaTable (local.get 0)))))
  (func $init (global.set $started (call $double (i32.const 21))))
  (func (export "started") (result i32) (global.get $started))
  (start $init))`;

function compile() {
  const mod = binaryen.parseText(WAT);
  assert.ok(mod.validate(), 'the test module is valid');
  const bytes = Buffer.from(mod.emitBinary());
  mod.dispose();
  return bytes;
}

async function run(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, { env: { seven: () => 7 } });
  const e = instance.exports;
  return { mix: [0, 1, 2, 5, 10].map((n) => e.mix(n)), started: e.started() };
}

test('functions in any order compute what they did', async () => {
  const bytes = compile();
  const want = await run(bytes);
  assert.deepEqual(want, { mix: [2 * 1 + 7 + 0, 2 * 2 + 7 + 2, 2 * 3 + 7 + 4, 2 * 6 + 7 + 6, 2 * 11 + 7 + 20], started: 42 });
  const n = 6;
  for (const order of [[5, 4, 3, 2, 1, 0], [2, 0, 5, 1, 4, 3], [1, 2, 3, 4, 5, 0]]) {
    assert.equal(order.length, n);
    const moved = reorder(bytes, order);
    assert.notDeepEqual(moved, bytes, `order ${order} changes the bytes`);
    assert.ok(WebAssembly.validate(moved), `order ${order} validates`);
    assert.deepEqual(await run(moved), want, `order ${order}`);
  }
  // The identity order is the module itself, byte for byte.
  assert.deepEqual(reorder(bytes, [0, 1, 2, 3, 4, 5]), bytes);
  // The step itself keeps a module that validates and computes the same.
  const { wasm } = orderFunctions(bytes);
  assert.deepEqual(await run(wasm), want);
});

test('what the reader does not know is refused, not rewritten', () => {
  // Function names point at indices: a module that still has them is refused.
  const mod = binaryen.parseText(WAT);
  binaryen.setDebugInfo(true);
  const named = Buffer.from(mod.emitBinary());
  binaryen.setDebugInfo(false);
  mod.dispose();
  assert.throws(() => orderFunctions(named), /custom section "name"/);
  // A number cut off at the end of the module.
  assert.throws(() => readU32(Uint8Array.of(0x80, 0x80), { at: 0 }), /runs past its end/);
  // An instruction it has no table for (0xfc 18 would be a future bulk-memory one).
  const bytes = compile();
  const body = bytes.indexOf(Buffer.from([0x41, 0x02, 0x6c])); // i32.const 2; i32.mul in $double
  assert.ok(body > 0, 'found $double');
  const broken = Buffer.from(bytes);
  broken[body + 2] = 0xfc;
  broken[body + 3] = 0x12;
  assert.throws(() => orderFunctions(broken), /unknown instruction 0xfc 18/);
});
