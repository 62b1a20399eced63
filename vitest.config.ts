import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Mirror esbuild's text loader so tests import bundled assets the way the program does.
const CHART_JS = fileURLToPath(new URL('./node_modules/chart.js/dist/chart.umd.min.js', import.meta.url));
const textAssets = {
  name: 'text-assets',
  resolveId(id: string) {
    return id === 'inline:chart.js' ? '\0inline:chart.js' : null;
  },
  load(id: string) {
    return id === '\0inline:chart.js' ? `export default ${JSON.stringify(readFileSync(CHART_JS, 'utf8'))};` : null;
  },
  transform(code: string, id: string) {
    if (/\.(ya?ml|txt)$/.test(id)) return { code: `export default ${JSON.stringify(code)};`, map: null };
    return null;
  },
};

export default defineConfig({
  plugins: [textAssets],
  test: {
    projects: [
      {
        plugins: [textAssets],
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        plugins: [textAssets],
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        // npm run test:matomo only: a real Matomo (scripts/test-matomo.mjs checks it is given).
        plugins: [textAssets],
        test: { name: 'matomo', include: ['test/matomo/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 120_000, fileParallelism: false },
      },
    ],
  },
});
