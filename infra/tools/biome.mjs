// Runs Biome's native binary for this machine. The npm registry this project installs from
// carries Biome's Linux builds only, so package.json names them directly (as optional
// dependencies: npm installs the one matching the machine) instead of @biomejs/biome, whose
// other platforms' packages `npm ci` could not resolve.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const candidates = [`@biomejs/cli-linux-${process.arch}`];
const binary = candidates
  .map((pkg) => {
    try {
      return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'biome');
    } catch {
      return undefined;
    }
  })
  .find((file) => file && existsSync(file));
if (!binary) {
  console.error(
    `No Biome binary for ${process.platform}-${process.arch}: install @biomejs/biome, or run npm install on Linux (x64 or arm64).`,
  );
  process.exit(2);
}
const { status } = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
process.exit(status ?? 1);
