// Writes the files generated from the configuration schema (see src/config/generate.ts).
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

const result = await build({
  entryPoints: ['src/config/generate.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  loader: { '.yaml': 'text', '.txt': 'text' },
  logLevel: 'warning',
});
const code = result.outputFiles[0].text;
const { generatedFiles } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
for (const [path, text] of Object.entries(generatedFiles())) {
  writeFileSync(new URL(`../${path}`, import.meta.url), text);
  console.log(`wrote ${path}`);
}
