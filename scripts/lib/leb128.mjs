// Unsigned LEB128, the variable-length integers of the wasm binary format (section sizes,
// counts, indices), shared by the build's module rewriters.

/** Reads a u32 from `bytes` at `pos.at`, moving `pos.at` past it. */
export function readU32(bytes, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos.at >= bytes.length || shift > 28) throw new Error('wasm: a LEB128 number runs past its end');
    const b = bytes[pos.at++];
    result |= (b & 0x7f) << shift;
    if (b < 0x80) return result >>> 0;
    shift += 7;
  }
}

/** Appends `n` to the byte array `out`. */
export function writeU32(out, n) {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
}
