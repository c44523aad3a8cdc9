// Size figures for the files site owners deploy (dist/): raw, gzip -9 and brotli q11.
// Shared by build.mjs (the table and target/size-report.json) and size-budget.mjs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export function measure(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
}

/** Every regular file in `dir` (recursively), sorted by path, with its sizes and the total. */
export function measureDir(dir) {
  const files = [];
  const walk = (rel) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const st = statSync(join(dir, relPath));
      if (st.isDirectory()) walk(relPath);
      else if (st.isFile()) files.push({ file: relPath, ...measure(readFileSync(join(dir, relPath))) });
    }
  };
  walk('');
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) for (const k of Object.keys(total)) total[k] += f[k];
  return { files, total };
}

export function formatTable({ files, total }) {
  const rows = [['file', 'raw', 'gzip -9', 'brotli'], ...files.map((f) => [f.file, f.raw, f.gzip, f.brotli]),
    ['total', total.raw, total.gzip, total.brotli]];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]), rule, ...rows.slice(1, -1).map(line), rule, line(rows.at(-1))].join('\n');
}
