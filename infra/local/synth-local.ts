import childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { buildApp, type MallApp } from '../app';
import type { StageConfig } from '../config';
import { BUNDLE_CACHE_CONTEXT, startBundleCacheRun } from '../constructs/bundle-cache';
import { ServiceFunction } from '../constructs/service-function';
import { AssetStore } from './asset-store';
import { SynthesizedTemplate } from './template';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** MALL_BUNDLE_CACHE, else node_modules/.cache/mall-bundles: shared by every data dir and test run. */
export function defaultBundleCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.MALL_BUNDLE_CACHE ?? path.join(root, 'node_modules', '.cache', 'mall-bundles'));
}

export interface LocalSynthesis extends MallApp {
  template: SynthesizedTemplate;
  functions: { total: number; rebuilt: number; cached: number };
  seconds: number;
}

/**
 * Synthesizes the app into `assemblyDir` (emptied first) with bundles cached by content in
 * `cacheDir`: only functions whose inputs changed are bundled again. What CDK and esbuild print
 * while bundling goes to `logFile`, not to the terminal.
 */
export function synthesizeLocal(config: StageConfig, assemblyDir: string, logFile: string, cacheDir: string): LocalSynthesis {
  const started = Date.now();
  const store = new AssetStore(cacheDir);
  fs.rmSync(assemblyDir, { recursive: true, force: true });
  store.linkInto(assemblyDir);
  startBundleCacheRun();
  // CDK bundles as it constructs each function's asset, and validates as it synthesizes.
  const { built, assembly } = withOutputTo(logFile, () => {
    const built = buildApp(config, { outdir: assemblyDir, context: { [BUNDLE_CACHE_CONTEXT]: cacheDir }, cfnValidation: false });
    return { built, assembly: built.app.synth() };
  });
  store.publish(assemblyDir);
  const functions = built.app.node.findAll().filter((c): c is ServiceFunction => c instanceof ServiceFunction);
  // A function whose asset is a link came from the store; a directory was bundled in this run.
  const rebuilt = functions.filter((fn) => {
    const asset = fn.node.tryFindChild('Code') as Asset | undefined;
    return !asset || !fs.lstatSync(path.join(assemblyDir, asset.assetPath)).isSymbolicLink();
  }).length;
  const template = new SynthesizedTemplate(
    assemblyDir,
    assembly.stacks.map((s) => s.stackName),
  );
  return {
    ...built,
    template,
    functions: { total: functions.length, rebuilt, cached: functions.length - rebuilt },
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Runs `fn` with CDK's bundling messages and esbuild's output (a child process writing to this
 * process's stderr) appended to `logFile`. Synchronous, as CDK's bundling is.
 */
function withOutputTo<T>(logFile: string, fn: () => T): T {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  const spawnSync = childProcess.spawnSync;
  const write = process.stderr.write;
  Object.assign(childProcess, {
    spawnSync: (command: string, args: readonly string[], options: childProcess.SpawnSyncOptions = {}) =>
      spawnSync(command, args, { ...options, stdio: ['ignore', fd, fd] }),
  });
  process.stderr.write = ((chunk: string | Uint8Array) => {
    fs.writeSync(fd, Buffer.from(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    fs.writeSync(fd, `--- synthesis at ${new Date().toISOString()}\n`);
    return fn();
  } finally {
    Object.assign(childProcess, { spawnSync });
    process.stderr.write = write;
    fs.closeSync(fd);
  }
}
