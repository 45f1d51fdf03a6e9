import childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Runs `fn` with CDK's bundling messages and esbuild's output (a child process writing to this
 * process's stderr) appended to `logFile`. Synchronous, as CDK's bundling is.
 */
export function withOutputTo<T>(logFile: string, fn: () => T): T {
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
