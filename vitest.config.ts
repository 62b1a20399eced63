import { defineConfig } from 'vitest/config';

// Mirror esbuild's text loader so tests import bundled assets the way the program does.
const textAssets = {
  name: 'text-assets',
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
