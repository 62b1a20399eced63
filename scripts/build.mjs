// Bundles the CLI into one CommonJS file (dist/cli.cjs): the JS entry that `bin` and the end-to-end
// tests run. The single executable embeds a sibling bundle (scripts/build-bin.mjs); both share the
// configuration in scripts/lib/bundle.mjs.
import { bundleCli } from './lib/bundle.mjs';

await bundleCli({ outfile: 'dist/cli.cjs', launcher: true });
