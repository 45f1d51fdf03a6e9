import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Source-mapped stack traces, paid for only when one is written. Node's --enable-source-maps
 * parses every bundle's map at load, on every cold start; and process.setSourceMapsEnabled(true)
 * later does not map modules already loaded (checked on Node 22). So the bundle's own map
 * (index.mjs.map, beside it in the asset) is read the first time an error is logged, and the
 * frames of files that have a map are rewritten to their sources, as --enable-source-maps
 * would print them: `at fn (/…/functions/order/order-service.ts:61:11)`.
 */
const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      const mapFile = `${file}.map`;
      map = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null;
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

// "    at [async ][name (]file:///var/task/index.mjs:1:2345[)]"
const FRAME = /^(\s*at (?:async )?)(?:(.+?) \()?((?:file:\/\/)?\/[^()]+?):(\d+):(\d+)(\)?)$/;

/** One frame mapped to its source, or as it was when its file has no map or the position none. */
function mappedFrame(frame: string): string {
  const match = FRAME.exec(frame);
  if (!match) return frame;
  const [, prefix, name, location, line, column] = match;
  const file = location!.startsWith('file://') ? fileURLToPath(location!) : location!;
  const origin = mapOf(file)?.findOrigin(Number(line), Number(column));
  if (!origin || !('fileName' in origin)) return frame;
  const source = path.resolve(path.dirname(file), origin.fileName);
  const where = `${source}:${origin.lineNumber}:${origin.columnNumber}`;
  return name ? `${prefix}${name} (${where})` : `${prefix}${where}`;
}

/** `stack` with every frame in a source-mapped file pointing at its source. */
export function sourceMappedStack(stack: string): string {
  return stack.split('\n').map(mappedFrame).join('\n');
}
