// The npm package: `npm pack` the built repository, install the tarball into a scratch project
// (offline: it has no dependencies), check what it ships and how `exports` resolves, then serve
// the installed dist/ with the real server and mount it from a page with `import { mount }`.
// A TypeScript consumer of the installed package is type-checked with `tsc` against its d.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, ROOT, startServer, watchPage } from './harness.mjs';
import { html } from './pages.mjs';

const SHIPPED = ['baton.css', 'baton.d.ts', 'baton.js', 'baton.mjs', 'baton.wasm'];
let scratch;
let pkgDir;

const npm = (args, cwd) => execFileSync('npm', args, {
  cwd,
  encoding: 'utf8',
  env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  stdio: ['ignore', 'pipe', 'pipe'],
});

before(() => {
  for (const f of SHIPPED) assert.ok(existsSync(join(ROOT, 'dist', f)), `dist/${f} is missing: run \`npm run build\` first`);
  scratch = mkdtempSync(join(tmpdir(), 'baton-npm-'));
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', scratch], ROOT));
  const tarball = join(scratch, packed[0].filename);
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-site', private: true, type: 'module' }));
  npm(['install', '--offline', '--no-save', '--ignore-scripts', tarball], scratch);
  pkgDir = join(scratch, 'node_modules', 'baton-widget');
});

after(() => { if (scratch) rmSync(scratch, { recursive: true, force: true }); });

test('the tarball ships dist/ and package.json, nothing else', () => {
  const top = readdirSync(pkgDir).sort();
  assert.deepEqual(top.filter((f) => !/^(readme|license)/i.test(f)), ['dist', 'package.json']);
  assert.deepEqual(readdirSync(join(pkgDir, 'dist')).sort(), [...SHIPPED].sort());
  assert.deepEqual(readFileSync(join(pkgDir, 'dist', 'baton.wasm')), readFileSync(join(ROOT, 'dist', 'baton.wasm')));
});

test('exports resolve: the module, its types, the loader and the stylesheet', () => {
  const resolved = execFileSync(process.execPath, ['--input-type=module', '-e', `
    console.log(JSON.stringify(['baton-widget', 'baton-widget/baton.js', 'baton-widget/baton.css']
      .map((s) => import.meta.resolve(s))));`], { cwd: scratch, encoding: 'utf8' });
  const [mod, loader, css] = JSON.parse(resolved);
  assert.match(mod, /node_modules\/baton-widget\/dist\/baton\.mjs$/);
  assert.match(loader, /node_modules\/baton-widget\/dist\/baton\.js$/);
  assert.match(css, /node_modules\/baton-widget\/dist\/baton\.css$/);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(pkg.exports['.'].types, './dist/baton.d.ts');
  assert.equal(pkg.types, './dist/baton.d.ts');
  const dts = readFileSync(join(pkgDir, 'dist', 'baton.d.ts'), 'utf8');
  assert.match(dts, /export function mount\(options\?: Options\): Promise<Handle>;/);
});

// What a TypeScript site writes against the installed package, resolved through `exports` like a
// bundler would. The `@ts-expect-error` lines are misuse the declarations must reject: `tsc`
// fails if any of them type-checks, so a declaration loosened to `any` fails this test.
const CONSUMER = `
import { mount, version, type Handle, type State } from 'baton-widget';

export async function site(): Promise<string> {
  const handle: Handle = await mount({ site: 'ts', endpoint: 'https://support.example.com', locale: 'es',
    theme: 'dark', position: 'left', open: false, strings: { send: 'Mandar' }, redact: ['###-##-####'] });
  handle.identify({ name: 'Ada', email: 'ada@example.com', tier: 'enterprise', lifetimeValue: 120000 })
    .open().send('Hola').requestHuman();
  handle.on('queue', (e) => console.log(e.position?.toFixed(0), e.wait_seconds));
  handle.on('escalated', (e) => console.log(e.case_number.toUpperCase()));
  handle.on('error', (e) => console.error(e.code, e.message));
  handle.csat(5);
  const state: State | undefined = handle.state();
  const stage: string | undefined = state?.handoff.stage;
  window.Baton('open');
  // @ts-expect-error: an unknown event
  handle.on('joined', () => {});
  // @ts-expect-error: the queue event has no case_number
  handle.on('queue', (e) => e.case_number);
  // @ts-expect-error: the score is 1 to 5
  handle.csat(6);
  // @ts-expect-error: not a theme
  await mount({ theme: 'blue' });
  // @ts-expect-error: not a string key (QA: any key type-checked)
  await mount({ strings: { sned: 'Mandar' } });
  await mount({ strings: { queueStatus: 'Eres el n.º {position}', carryOn: 'Sigamos' } });
  // @ts-expect-error: identify takes an object
  handle.identify('Ada');
  // @ts-expect-error: destroy() returns nothing to chain
  handle.destroy().open();
  return (await version()) + (stage ?? '');
}
`;

test('a TypeScript site type-checks against the installed declarations, and misuse does not', () => {
  writeFileSync(join(scratch, 'site.ts'), CONSUMER);
  writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true,
      noEmit: true, lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false,
    },
    files: ['site.ts'],
  }));
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(scratch, 'tsconfig.json')], { cwd: scratch, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc found errors:\n${e.stdout}${e.stderr}`);
  }
});

test('the installed package mounts in Chromium via import { mount }', async () => {
  writeFileSync(join(scratch, 'index.html'), html({
    body: `<main><h1>npm site</h1></main>
<script type="module">
  import { mount } from '/dist/baton.mjs';
  mount({ site: 'npm', endpoint: '' }).then((h) => { window.handle = h; });
</script>`,
  }));
  const server = await startServer({ args: ['--www', scratch, '--dist', join(pkgDir, 'dist')] });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const watch = watchPage(page);
    const wasm = [];
    page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push(`${r.status()} ${r.url()}`); });
    await page.goto(`${server.url}/`);
    await page.locator('[data-baton] .launcher').waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => window.handle && typeof window.handle.open === 'function');
    assert.deepEqual(wasm, [`200 ${server.url}/dist/baton.wasm`]);
    watch.assertClean();
  } finally {
    await browser.close();
    await server.stop();
  }
});
