import * as fs from 'node:fs';
import * as path from 'node:path';

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
