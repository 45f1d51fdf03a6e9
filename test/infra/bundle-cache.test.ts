import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCacheStats, contentKey, startBundleCacheRun, withContentHash } from '../../infra/constructs/bundle-cache';
import { synthesizeCached } from '../../infra/local/asset-store';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;
const file = (name: string, content: string) => fs.writeFileSync(path.join(dir, name), content);
const bundling = { format: OutputFormat.ESM, target: 'node22', minify: false, sourceMap: false };

beforeAll(() => {
  // Under the project root, as CDK wants entries; node_modules is ignored by git and the linter.
  fs.mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
  dir = fs.mkdtempSync(path.join(root, 'node_modules', '.cache', 'bundle-cache-test-'));
  file('a.ts', "import { greeting } from './shared';\nexport const handler = async () => greeting('a');\n");
  file('b.ts', "export const handler = async () => 'b';\n");
  file('shared.ts', 'export const greeting = (who: string) => "hello " + who;\n');
  file('other.ts', "export const unused = 'not imported yet';\n");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('content key of a bundle', () => {
  const key = () => {
    startBundleCacheRun(); // files change between calls, as between runs
    return contentKey(path.join(dir, 'cache-keys'), path.join(dir, 'a.ts'), bundling);
  };

  it('is reused while no input changes, and changes with any input, a new import, or the options', () => {
    const first = key();
    expect(bundleCacheStats).toEqual({ keyed: 0, rediscovered: 1 });
    expect(key()).toBe(first);
    expect(bundleCacheStats).toEqual({ keyed: 1, rediscovered: 0 });

    file('other.ts', "export const unused = 'changed, but still not imported';\n");
    expect(key()).toBe(first);

    file('shared.ts', 'export const greeting = (who: string) => "hi " + who;\n');
    const second = key();
    expect(second).not.toBe(first);

    // A file imported only now must be watched from now on.
    file('shared.ts', `export { unused } from './other';\nexport const greeting = (who: string) => "hi " + who;\n`);
    const third = key();
    file('other.ts', "export const unused = 'imported now, and changed';\n");
    expect(key()).not.toBe(third);

    startBundleCacheRun();
    expect(contentKey(path.join(dir, 'cache-keys'), path.join(dir, 'a.ts'), { ...bundling, minify: true })).not.toBe(key());
  });

  it('is not used with options that run commands or add inputs esbuild does not list', () => {
    const hooks = { beforeBundling: () => [], beforeInstall: () => [], afterBundling: () => [] };
    expect(contentKey(path.join(dir, 'cache-keys'), path.join(dir, 'b.ts'), { ...bundling, commandHooks: hooks })).toBeUndefined();
  });
});

describe('bundles cached by content in the asset store', () => {
  const synth = () =>
    synthesizeCached(
      (outdir, context) => {
        const app = new App({ outdir, context: { ...context, 'aws:cdk:enable-path-metadata': true } });
        const stack = new Stack(app, 'Cached');
        for (const name of ['a', 'b']) {
          const entry = path.join(dir, `${name}.ts`);
          new NodejsFunction(stack, name, {
            entry,
            projectRoot: root,
            depsLockFilePath: path.join(root, 'package-lock.json'),
            runtime: lambda.Runtime.NODEJS_22_X,
            bundling: withContentHash(stack, entry, bundling),
          });
        }
        return { app };
      },
      { assemblyDir: path.join(dir, `cdk.out`), logFile: path.join(dir, 'bundling.log'), cacheDir: path.join(dir, 'cache') },
    );
  const codeOf = (name: string) => {
    const assets = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'Cached.assets.json'), 'utf8')).files;
    const template = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'Cached.template.json'), 'utf8'));
    const fn = Object.values<{ Metadata?: Record<string, string>; Properties: { Code: { S3Key: string } } }>(template.Resources).find(
      (r) => r.Metadata?.['aws:cdk:path'] === `Cached/${name}/Resource`,
    )!;
    const hash = fn.Properties.Code.S3Key.replace(/\.zip$/, '');
    return fs.readFileSync(path.join(dir, 'cdk.out', assets[hash].source.path, 'index.mjs'), 'utf8');
  };

  it('rebuilds only the function whose input changed, and keeps esbuild out of the terminal', () => {
    expect(synth().functions).toEqual({ total: 2, rebuilt: 2, cached: 0 });
    expect(fs.readFileSync(path.join(dir, 'bundling.log'), 'utf8')).toMatch(/index\.mjs/); // esbuild's own summary

    expect(synth().functions).toEqual({ total: 2, rebuilt: 0, cached: 2 });
    expect(codeOf('a')).toContain('hi ');

    file('shared.ts', 'export const greeting = (who: string) => "good day " + who;\n');
    expect(synth().functions).toEqual({ total: 2, rebuilt: 1, cached: 1 });
    expect(codeOf('a')).toContain('good day ');
    expect(codeOf('b')).toMatch(/["']b["']/);
  });
});
