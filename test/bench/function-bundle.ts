import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { FUNCTION_BUNDLING } from '../../infra/constructs/service-function';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** FUNCTION_BUNDLING as esbuild options, as aws-lambda-nodejs turns them into esbuild's flags. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  const b = FUNCTION_BUNDLING;
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: b.target,
    format: b.format,
    minify: b.minify,
    sourcemap: b.sourceMap,
    sourcesContent: b.sourcesContent,
    external: b.externalModules,
    mainFields: b.mainFields,
    banner: { js: b.banner },
    absWorkingDir: root,
    logLevel: 'error',
  };
}
