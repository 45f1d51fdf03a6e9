import * as fs from 'node:fs';

/**
 * CPU time by where it is spent, read from Linux's /proc (other systems get nothing): this
 * process's main thread (the local cloud: API Gateway, Step Functions, the IAM and metering
 * proxies), its other threads (mostly the Lambda environments' worker threads), and its Java
 * children (DynamoDB Local).
 */
export interface CpuSample {
  mainMs: number;
  otherThreadsMs: number;
  javaMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function ticksOf(statFile: string): number {
  const stat = fs.readFileSync(statFile, 'utf8');
  // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function javaChildren(): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm === 'java') out.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

export function cpuSample(): CpuSample | undefined {
  if (!fs.existsSync(`/proc/${process.pid}/task/${process.pid}/stat`)) return undefined;
  const main = ticksOf(`/proc/${process.pid}/task/${process.pid}/stat`);
  const all = ticksOf(`/proc/${process.pid}/stat`);
  const java = javaChildren().reduce((sum, pid) => sum + ticksOf(`/proc/${pid}/stat`), 0);
  return { mainMs: main * TICK_MS, otherThreadsMs: (all - main) * TICK_MS, javaMs: java * TICK_MS };
}

/** "main thread 12 ms, other threads 30 ms, DynamoDB Local 20 ms" per `per` (e.g. per order) since `before`. */
export function cpuSince(before: CpuSample | undefined, per: number): string {
  const after = cpuSample();
  if (!before || !after) return 'CPU accounting needs Linux /proc';
  const ms = (key: keyof CpuSample) => ((after[key] - before[key]) / per).toFixed(1);
  return `main thread ${ms('mainMs')} ms, other threads (Lambda environments, GC and I/O helpers) ${ms('otherThreadsMs')} ms, DynamoDB Local ${ms('javaMs')} ms`;
}
