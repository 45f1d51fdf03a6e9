import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Context key that turns the cache on: the directory it keeps its records in (the local cloud sets it). */
export const BUNDLE_CACHE_CONTEXT = 'mall:bundle-cache';
/** Bump to invalidate every record when the key's recipe changes. */
const RECIPE = 2;
/** Files every bundle depends on besides its imports: what is installed, and how TypeScript is read. */
const PROJECT_FILES = ['package-lock.json', 'package.json', 'tsconfig.json'];
/** Options that run commands or read files esbuild's metafile does not list: with them, no cache. */
const UNCACHEABLE: Array<keyof BundlingOptions> = [
  'commandHooks',
  'nodeModules',
  'esbuildArgs',
  'dockerImage',
  'forceDockerBundling',
  'inject',
];

/** What the last synthesis found: functions whose key matched their last record, and those re-read. */
export const bundleCacheStats = { keyed: 0, rediscovered: 0 };

const fileHashes = new Map<string, string>();
function hashFile(file: string): string {
  let hash = fileHashes.get(file);
  if (!hash) {
    try {
      hash = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    } catch {
      hash = 'missing';
    }
    fileHashes.set(file, hash);
  }
  return hash;
}

/** Files change between syntheses in one process (tests, a watcher): forget the hashes and counts so far. */
export function startBundleCacheRun(): void {
  fileHashes.clear();
  bundleCacheStats.keyed = 0;
  bundleCacheStats.rediscovered = 0;
}

interface InputsRecord {
  key: string;
  inputs: string[];
}

/**
 * The content key of one function's bundle: the bundling options, esbuild's version, the project
 * files, and the content of every file the bundle is made of (what esbuild's metafile lists as
 * inputs). The input list is remembered per entry and options; it is re-read with esbuild when the
 * key computed from it no longer matches its record, that is when any input changed: a changed
 * import changes the importing file first.
 */
export function contentKey(cacheDir: string, entry: string, options: BundlingOptions): string | undefined {
  if (UNCACHEABLE.some((option) => options[option] !== undefined)) return undefined;
  const recipe = JSON.stringify({ RECIPE, esbuild: esbuild.version, entry: path.relative(root, entry), options });
  const recordFile = path.join(cacheDir, 'inputs', `${createHash('sha256').update(recipe).digest('hex')}.json`);
  const keyOf = (inputs: string[]) => {
    const hash = createHash('sha256').update(recipe);
    for (const file of [...PROJECT_FILES, ...inputs]) hash.update(`\0${file}\0${hashFile(path.resolve(root, file))}`);
    return hash.digest('hex');
  };
  const record = readRecord(recordFile);
  if (record && keyOf(record.inputs) === record.key) {
    bundleCacheStats.keyed++;
    return record.key;
  }
  bundleCacheStats.rediscovered++;
  const inputs = bundleInputs(entry, options);
  const key = keyOf(inputs);
  writeAtomically(recordFile, JSON.stringify({ key, inputs } satisfies InputsRecord));
  return key;
}

/**
 * `options` with `assetHash` set to the content key when the app's context names a bundle cache
 * (the local cloud), so that CDK finds `asset.<hash>` already staged and skips esbuild. Without it
 * (cdk synth, cdk deploy) the options are unchanged: CDK hashes the bundle it builds.
 */
export function withContentHash(scope: Construct, entry: string, options: BundlingOptions): BundlingOptions {
  const cacheDir = scope.node.tryGetContext(BUNDLE_CACHE_CONTEXT) as string | undefined;
  if (!cacheDir || options.assetHash) return options;
  const assetHash = contentKey(cacheDir, entry, options);
  return assetHash ? { ...options, assetHash } : options;
}

/** The project files esbuild reads for `entry` with these options, relative to the project root. */
function bundleInputs(entry: string, options: BundlingOptions): string[] {
  const result = esbuild.buildSync({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    platform: 'node',
    format: options.format === 'esm' ? 'esm' : 'cjs',
    target: options.target ?? 'node22',
    mainFields: options.mainFields,
    external: options.externalModules ?? ['@aws-sdk/*'],
    loader: options.loader as Record<string, esbuild.Loader> | undefined,
    define: options.define,
    keepNames: options.keepNames,
    ...(options.tsconfig ? { tsconfig: path.resolve(root, options.tsconfig) } : {}),
  });
  // Inputs are relative to absWorkingDir; ones esbuild made up (namespace:path) are no files.
  return Object.keys(result.metafile.inputs)
    .filter((input) => !/^[a-z-]+:/.test(input))
    .sort();
}

function readRecord(file: string): InputsRecord | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as InputsRecord;
    return typeof record.key === 'string' && Array.isArray(record.inputs) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Concurrent local clouds share the cache: a reader sees the old file or the new one, never half. */
export function writeAtomically(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}
