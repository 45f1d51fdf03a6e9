import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildOptions } from '../bench/function-bundle';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The packages a function's bundle holds, bundled exactly as the construct bundles it. */
async function packagesIn(entryPoint: string): Promise<Set<string>> {
  const entry = path.join(root, 'functions', `${entryPoint}.ts`);
  const outfile = path.join(os.tmpdir(), 'bundle-contents', entryPoint, 'index.mjs');
  const { metafile } = await build({ ...esbuildOptions(entry, outfile), write: false, metafile: true });
  const packages = Object.values(metafile.outputs).flatMap((o) =>
    Object.keys(o.inputs).map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1]),
  );
  return new Set(packages.filter((p): p is string => p !== undefined));
}

/** A function carries only the SDK clients it calls (issue 13: bundles). */
describe('function bundles', () => {
  it('leave out the clients an entry point never calls', async () => {
    const detail = await packagesIn('order/api/detail');
    expect(detail.has('@aws-sdk/client-dynamodb')).toBe(true);
    expect(detail.has('@aws-sdk/client-lambda')).toBe(false);
    expect(detail.has('@aws-sdk/client-sfn')).toBe(false);
    const userinfo = await packagesIn('user/api/userinfo');
    expect(userinfo.has('@aws-sdk/client-secrets-manager')).toBe(false);
    expect(userinfo.has('@aws-sdk/client-api-gateway')).toBe(false);
  }, 120_000);

  it('keep the clients it does call', async () => {
    const create = await packagesIn('order/api/create');
    expect(create.has('@aws-sdk/client-lambda')).toBe(true);
    expect(create.has('@aws-sdk/client-sfn')).toBe(true);
  }, 120_000);
});
