import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, type MallApp } from '../app';
import type { StageConfig } from '../config';
import { synthesizeCached } from './asset-store';
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
 * Synthesizes the mall for the local cloud into `assemblyDir`, with bundles cached by content in
 * `cacheDir` (see asset-store.ts), and without CDK's built-in CloudFormation validation, whose
 * findings are only warnings and which `cdk synth` and `npm run check:deploy` still run.
 */
export function synthesizeLocal(config: StageConfig, assemblyDir: string, logFile: string, cacheDir: string): LocalSynthesis {
  const { built, assembly, functions, seconds } = synthesizeCached(
    (outdir, context) => buildApp(config, { outdir, context, cfnValidation: false }),
    { assemblyDir, logFile, cacheDir },
  );
  const template = new SynthesizedTemplate(
    assemblyDir,
    assembly.stacks.map((s) => s.stackName),
  );
  return { ...built, template, functions, seconds };
}
