import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const [src, ...rest] = process.argv.slice(2);
const r = await build({ stdin: { contents: src, resolveDir: process.cwd(), loader: 'js' }, bundle: true, minify: true, format: 'esm', write: false, metafile: true, external: ['zod', 'zod/*', 'fast-check', 'eventsource-parser'], logLevel: 'silent' });
const out = Object.values(r.metafile.outputs)[0];
console.log('total min', r.outputFiles[0].text.length, 'gz', gzipSync(r.outputFiles[0].text, { level: 9 }).length);
for (const [k, v] of Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) console.log(v.bytesInOutput, k);
