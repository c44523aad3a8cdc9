#!/usr/bin/env node
// Builds what site owners deploy into dist/:
//   dist/baton.js       the embed loader (www/baton.js, minified; classic script; imports baton.mjs)
//   dist/baton.mjs      the JS API as an ES module (www/baton.mjs with the wasm-bindgen glue inlined,
//                       minified): export { mount, version }
//   dist/baton.d.ts     its TypeScript declarations (www/baton.d.ts, copied; never sent to browsers)
//   dist/baton.wasm     the widget (cargo --profile wasm -> wasm-bindgen -> binaryen wasm-opt -Oz -> functions ordered for gzip)
//   dist/baton.css      the default stylesheet (www/baton.css, whitespace and comments removed)
// then prints their sizes (raw, gzip -9, brotli q11) and writes target/size-report.json.
// No bundler: each step is a plain command, and a failing step stops the build with its name.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minifyNames } from './lib/minify-names.mjs';
import { orderFunctions } from './lib/order-functions.mjs';
import { formatTable, measureDir } from './lib/sizes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const TARGET = 'wasm32-unknown-unknown';
const PROFILE = 'wasm';
const RAW_WASM = `target/${TARGET}/${PROFILE}/baton.wasm`;
const BINDGEN_DIR = 'target/bindgen';
const GLUE = `${BINDGEN_DIR}/baton-core.js`;
const BINDGEN_WASM = `${BINDGEN_DIR}/baton-core_bg.wasm`;
const OPT_WASM = 'target/baton.opt.wasm';
const DIST = 'dist';
const WASM_OPT = join('node_modules', '.bin', process.platform === 'win32' ? 'wasm-opt.cmd' : 'wasm-opt');
// Rust 1.95's wasm32 target emits these by default; binaryen also reads the module's
// target_features section, but saying so explicitly keeps wasm-opt from rejecting the module
// if that section is ever missing. (Never Debian's binaryen 108: its output crashes Chromium.)
// `--low-memory-unused` lets wasm-opt fold constant pointer offsets into loads and stores
// (about 1 KB gzip): rustc lays out wasm memory stack-first, so the lowest 1 KB would only be
// touched by a stack 1 MB deep, which has overflowed already. (Emscripten does the same.)
// `--flatten --rereloop` first rebuilds the control flow with the relooper, which lets the two
// -Oz rounds after it fold more branches: about 0.5 KB gzip for 1 s more (measured on 2 cores).
// The whole sequence twice takes another 0.4 KB (a third round gains nothing).
// `-ocimfs=15`: a function with one caller is inlined only if it is small (binaryen's default
// inlines every one, whatever its size). Giant functions need hundreds of locals, whose
// two-byte indices vary and compress badly: 1.9 KB gzip less for 3 KB more raw (measured;
// 10 to 20 are all within 0.1 KB, 0 and unlimited are worse).
const WASM_OPT_FLAGS = [
  '-ocimfs=15', '--flatten', '--rereloop', '-Oz', '-Oz', '--flatten', '--rereloop', '-Oz', '-Oz', '--low-memory-unused',
  '--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-sign-ext',
  '--enable-nontrapping-float-to-int', '--enable-multivalue', '--enable-reference-types',
  '--enable-mutable-globals', '--enable-call-indirect-overlong',
  '--strip-debug', '--strip-producers', '--strip-target-features',
];

// cargo-installed tools (wasm-bindgen) live in ~/.cargo/bin, which a CI shell may not have on PATH.
const cargoBin = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin');
const env = { ...process.env, PATH: [process.env.PATH, cargoBin].filter(Boolean).join(delimiter) };

class StepError extends Error {}

async function step(name, fn) {
  const t0 = performance.now();
  console.log(`build: ${name}`);
  try {
    await fn();
  } catch (err) {
    const detail = err instanceof StepError ? err.message : (err && err.stack) || String(err);
    console.error(`build: FAILED at step "${name}": ${detail}`);
    process.exit(1);
  }
  console.log(`build: ${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function run(cmd, args, { capture = false, env: extra = {} } = {}) {
  const res = spawnSync(cmd, args, { env: { ...env, ...extra }, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (res.error) {
    throw new StepError(res.error.code === 'ENOENT' ? `${cmd} not found (run \`npm run setup\`)` : String(res.error));
  }
  if (res.status !== 0) {
    throw new StepError(`${cmd} ${args.join(' ')} exited with ${res.status ?? res.signal}`);
  }
  return res.stdout;
}

function lockedVersion(pkg) {
  const lock = readFileSync('Cargo.lock', 'utf8');
  for (const block of lock.split('[[package]]')) {
    if (new RegExp(`^name = "${pkg}"$`, 'm').test(block)) {
      const m = block.match(/^version = "([^"]+)"$/m);
      if (m) return m[1];
    }
  }
  throw new StepError(`no ${pkg} entry in Cargo.lock`);
}

async function minifyJs(code, { module }) {
  const { minify } = await import('terser');
  const out = await minify(code, {
    module,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  if (typeof out.code !== 'string') throw new StepError('terser produced no output');
  return out.code;
}

/**
 * The API module with the wasm-bindgen glue inside it, instead of importing it from a second
 * file: one request less, and the two share one gzip stream (about 0.2 KB less than apart).
 * The glue goes in a function scope, so its names cannot meet the API's (both have `mount`);
 * `import.meta.url` there is the API module's, beside which `baton.wasm` is.
 */
function inlineGlue(glue, api) {
  const IMPORT = "import init, { mount as mountCore, version as coreVersion } from './baton-core.js';";
  if (!api.includes(IMPORT)) throw new StepError(`www/baton.mjs no longer has the line \`${IMPORT}\` the build replaces with the glue`);
  const body = glue.replace(/^export (class|function) /gm, '$1 ').replace(/^export \{ initSync, __wbg_init as default \};$/m, '');
  const left = body.match(/^export .*$/m);
  if (left) throw new StepError(`the wasm-bindgen glue has an export the build does not inline: ${left[0]}`);
  const scoped = `const { init, mountCore, coreVersion } = (() => {\n${body}\nreturn { init: __wbg_init, mountCore: mount, coreVersion: version };\n})();`;
  // A function, so `$&` or `$'` in the glue is not read as a replacement pattern.
  return api.replace(IMPORT, () => scoped);
}

// A light CSS minifier: drops comments and collapses whitespace, leaving strings alone. Only
// spaces next to { } ; , and after : are removed, which never changes meaning (unlike around
// + ~ > or before :, which are significant inside calc() and selectors).
function minifyCss(css) {
  let out = '';
  let i = 0;
  let pendingSpace = false;
  const tight = (c) => '{};,'.includes(c);
  const emit = (s) => {
    if (pendingSpace && out && !tight(out.at(-1)) && out.at(-1) !== ':' && !tight(s[0])) out += ' ';
    pendingSpace = false;
    out += s;
  };
  while (i < css.length) {
    const c = css[i];
    if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end < 0 ? css.length : end + 2;
      pendingSpace = true;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c) j += css[j] === '\\' ? 2 : 1;
      emit(css.slice(i, j + 1));
      i = j + 1;
    } else if (/\s/.test(c)) {
      pendingSpace = true;
      i++;
    } else {
      emit(c);
      i++;
    }
  }
  return out.replace(/;}/g, '}').trim() + '\n';
}

// The stylesheet writes its dark palette once, for data-theme="dark"; "auto" (the default)
// gets the same block under prefers-color-scheme here, so the two can never drift apart.
function withSystemDark(css) {
  const head = ':host([data-theme="dark"]) {';
  const start = css.indexOf(head);
  const end = css.indexOf('}', start);
  if (start < 0 || end < 0) throw new StepError(`www/baton.css has no ${head} block`);
  const body = css.slice(start + head.length, end);
  return `${css}\n@media (prefers-color-scheme: dark) {\n  :host(:not([data-theme="light"])) {${body}}\n}\n`;
}

const t0 = performance.now();

// The standard library is rebuilt for size with the module: panics abort at once instead of
// formatting a message (no panic strings, no location table), `{:?}` output is empty (the
// widget never prints Debug at run time), and std picks its size-optimised code paths. These
// are unstable flags; RUSTC_BOOTSTRAP lets the pinned stable compiler accept them, so the
// build needs no nightly toolchain, only the rust-src component (scripts/setup.sh adds it).
// Together they take about 9 KB gzip off the wasm. Tests build without them.
// `-reference-types`: without externref, wasm-bindgen keeps JS values in its glue's heap slab
// instead of giving each export an externref shim that manages a table from inside the wasm:
// about 1 KB less wasm for 0.2 KB more glue (measured; every browser since 2017 runs either).
// `-inline-threshold=0`: LLVM inlines only what is free to inline and leaves the rest to
// wasm-opt's size-aware inliner: 0.27 KB gzip less (opt-level "s" is 11 KB worse, a negative
// threshold 4 KB worse, `-Zinline-mir=no` and `-Zmir-opt-level=1` change nothing; measured).
const SIZE_STD = {
  env: {
    RUSTC_BOOTSTRAP: '1',
    RUSTFLAGS: '-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Ctarget-feature=-reference-types -Cllvm-args=-inline-threshold=0',
  },
  args: ['-Zbuild-std=std,panic_abort', '-Zbuild-std-features=optimize_for_size'],
};

await step('cargo build (wasm32, profile wasm, std rebuilt for size)', () => {
  run('cargo', ['build', '-p', 'baton', '--profile', PROFILE, '--target', TARGET, ...SIZE_STD.args], { env: SIZE_STD.env });
  if (!existsSync(RAW_WASM)) throw new StepError(`${RAW_WASM} was not produced`);
});

await step('wasm-bindgen', () => {
  const want = lockedVersion('wasm-bindgen');
  const have = run('wasm-bindgen', ['--version'], { capture: true }).trim().split(/\s+/)[1];
  if (have !== want) {
    throw new StepError(`wasm-bindgen CLI is ${have} but Cargo.lock pins the crate at ${want}; run \`npm run setup\``);
  }
  rmSync(BINDGEN_DIR, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'web', '--out-dir', BINDGEN_DIR, '--out-name', 'baton-core', '--no-typescript', RAW_WASM]);
});

await step('wasm-opt (binaryen from npm)', () => {
  if (!existsSync(WASM_OPT)) throw new StepError(`${WASM_OPT} is missing; run \`npm run setup\``);
  // wasm-opt is the slow step (tens of seconds on 2 cores); skip it when its input and flags
  // are the same as last time, so `npm start` is quick once everything is built.
  const stamp = `${OPT_WASM}.input-sha256`;
  const digest = createHash('sha256')
    .update(readFileSync(BINDGEN_WASM))
    .update(WASM_OPT_FLAGS.join(' '))
    .update(readFileSync('scripts/lib/order-functions.mjs'))
    .update(readFileSync('scripts/lib/leb128.mjs'))
    .digest('hex');
  if (existsSync(OPT_WASM) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
    console.log('build: wasm-opt: input unchanged, reusing the last output');
    return;
  }
  run(WASM_OPT, [BINDGEN_WASM, ...WASM_OPT_FLAGS, '-o', OPT_WASM]);
  // Similar functions side by side, for gzip (scripts/lib/order-functions.mjs).
  const ordered = orderFunctions(readFileSync(OPT_WASM));
  console.log(`build: functions ordered (${ordered.order}): ${ordered.before} -> ${ordered.after} bytes gzip -9`);
  writeFileSync(OPT_WASM, ordered.wasm);
  writeFileSync(stamp, digest);
});

await step('assemble dist/', async () => {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST);

  // Short import/export names between the module and its glue (scripts/lib/minify-names.mjs).
  const short = minifyNames(readFileSync(OPT_WASM), readFileSync(GLUE, 'utf8'));
  console.log(`build: ${short.renamed} import and export names shortened`);
  writeFileSync(join(DIST, 'baton.wasm'), short.wasm);

  // The glue's default wasm URL names wasm-bindgen's file; point it at the deployed name so
  // `init()` without arguments also works from dist/.
  let glue = short.glue;
  if (glue.includes("'baton-core_bg.wasm'")) glue = glue.replaceAll("'baton-core_bg.wasm'", "'baton.wasm'");
  // baton.mjs calls init() without a URL: the glue's default is the only way the wasm loads.
  else throw new StepError('the wasm-bindgen glue no longer names baton-core_bg.wasm, so baton.mjs would ask for a file that is not shipped');

  if (existsSync('www/baton.js')) {
    writeFileSync(join(DIST, 'baton.js'), await minifyJs(readFileSync('www/baton.js', 'utf8'), { module: false }));
  } else {
    console.warn('build: WARNING: www/baton.js (the loader) is missing; dist/ has no loader');
  }

  writeFileSync(join(DIST, 'baton.mjs'), await minifyJs(inlineGlue(glue, readFileSync('www/baton.mjs', 'utf8')), { module: true }));
  writeFileSync(join(DIST, 'baton.d.ts'), readFileSync('www/baton.d.ts'));

  if (existsSync('www/baton.css')) {
    writeFileSync(join(DIST, 'baton.css'), minifyCss(withSystemDark(readFileSync('www/baton.css', 'utf8'))));
  }
});

const report = measureDir(DIST);
console.log(`\n${formatTable(report)}\n`);
mkdirSync('target', { recursive: true });
writeFileSync('target/size-report.json', `${JSON.stringify(report, null, 2)}\n`);
console.log(`build: dist/ ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (sizes in target/size-report.json)`);
