import * as fs from 'node:fs';
import * as path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { BUNDLE_CACHE_CONTEXT, startBundleCacheRun } from '../constructs/bundle-cache';
import { withOutputTo } from './output-redirect';

export interface CachedSynthesis<T> {
  built: T;
  assembly: CloudAssembly;
  /** Node.js functions in the app; `rebuilt` were bundled in this run, `cached` came from the store. */
  functions: { total: number; rebuilt: number; cached: number };
  seconds: number;
}

/**
 * Builds and synthesizes an app into `assemblyDir` (emptied first) with the asset store in
 * `cacheDir`: only functions whose content key is new are bundled. `build` must pass `context`
 * to its App (it names the cache to withContentHash). What CDK and esbuild print while bundling
 * goes to `logFile`, not to the terminal.
 */
export function synthesizeCached<T extends { app: App }>(
  build: (outdir: string, context: Record<string, string>) => T,
  where: { assemblyDir: string; logFile: string; cacheDir: string },
): CachedSynthesis<T> {
  const started = Date.now();
  const store = new AssetStore(where.cacheDir);
  fs.rmSync(where.assemblyDir, { recursive: true, force: true });
  store.linkInto(where.assemblyDir);
  startBundleCacheRun();
  // CDK bundles as it constructs each function's asset, and validates as it synthesizes.
  const { built, assembly } = withOutputTo(where.logFile, () => {
    const built = build(where.assemblyDir, { [BUNDLE_CACHE_CONTEXT]: where.cacheDir });
    return { built, assembly: built.app.synth() };
  });
  store.publish(where.assemblyDir);
  const functions = built.app.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction);
  // A function whose asset is a link came from the store; a directory was bundled in this run.
  const rebuilt = functions.filter((fn) => {
    const asset = fn.node.tryFindChild('Code') as Asset | undefined;
    return !asset || !fs.lstatSync(path.join(where.assemblyDir, asset.assetPath)).isSymbolicLink();
  }).length;
  return {
    built,
    assembly,
    functions: { total: functions.length, rebuilt, cached: functions.length - rebuilt },
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Staged assets (CDK's `asset.<hash>` directories: bundled functions, copied handler code) kept
 * between runs and shared by every local cloud on this machine. Asset hashes name their content
 * (a function's is its content key, see bundle-cache.ts), so an entry never changes once written.
 *
 * Before synthesis, `linkInto` links every stored asset into the new cloud assembly: CDK finds
 * `asset.<hash>` there and neither bundles nor copies. After it, `publish` stores what CDK built.
 */
export class AssetStore {
  constructor(
    readonly dir: string,
    /** Entries kept; the least recently used go first. */
    private readonly keep = Number(process.env.MALL_BUNDLE_CACHE_KEEP ?? 300),
  ) {}

  private get assetsDir(): string {
    return path.join(this.dir, 'assets');
  }

  linkInto(assemblyDir: string): void {
    fs.mkdirSync(assemblyDir, { recursive: true });
    for (const name of this.entries()) fs.symlinkSync(path.join(this.assetsDir, name), path.join(assemblyDir, name), 'dir');
  }

  /**
   * Stores the assets CDK built into `assemblyDir` (directories, not links), marks those the
   * assembly uses as just used, and drops the least recently used beyond `keep`. Returns the names
   * of the assets built in this run.
   */
  publish(assemblyDir: string): string[] {
    fs.mkdirSync(this.assetsDir, { recursive: true });
    const built: string[] = [];
    const used = usedAssets(assemblyDir);
    for (const dirent of fs.readdirSync(assemblyDir, { withFileTypes: true })) {
      if (!used.has(dirent.name) || !dirent.isDirectory()) continue;
      built.push(dirent.name);
      const target = path.join(this.assetsDir, dirent.name);
      if (fs.existsSync(target)) continue;
      // Copied under a name of its own, then renamed: another cloud sees all of it or nothing.
      const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      fs.cpSync(path.join(assemblyDir, dirent.name), temp, { recursive: true });
      try {
        fs.renameSync(temp, target);
      } catch {
        fs.rmSync(temp, { recursive: true, force: true }); // another cloud stored it first
      }
    }
    const now = new Date();
    for (const name of used) {
      const stored = path.join(this.assetsDir, name);
      if (fs.existsSync(stored)) fs.utimesSync(stored, now, now);
    }
    this.prune(used);
    return built;
  }

  private entries(): string[] {
    try {
      return fs.readdirSync(this.assetsDir).filter((name) => name.startsWith('asset.') && !name.endsWith('.tmp'));
    } catch {
      return [];
    }
  }

  private prune(used: Set<string>): void {
    const byAge = this.entries()
      .filter((name) => !used.has(name))
      .map((name) => ({ name, mtime: fs.statSync(path.join(this.assetsDir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const { name } of byAge.slice(Math.max(0, this.keep - used.size)))
      fs.rmSync(path.join(this.assetsDir, name), { recursive: true, force: true });
  }
}

/** The staged assets the assembly's stacks name (`<stack>.assets.json`). */
function usedAssets(assemblyDir: string): Set<string> {
  const used = new Set<string>();
  for (const file of fs.readdirSync(assemblyDir).filter((name) => name.endsWith('.assets.json'))) {
    const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, file), 'utf8'));
    for (const asset of Object.values<{ source?: { path?: string } }>(manifest.files ?? {}))
      if (asset.source?.path?.startsWith('asset.')) used.add(asset.source.path);
  }
  return used;
}
