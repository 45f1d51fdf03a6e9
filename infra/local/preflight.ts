import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** What `npm start` needs, checked before anything slow: each failure says what to do. */
export interface PreflightResult {
  problems: string[];
  /** One line for the progress output when nothing is missing: "Node 22.3.0, Java 17, port 3000 free". */
  summary: string;
}

export const MIN_NODE_MAJOR = 22;
/** DynamoDB Local (and DynamoDbLoopback.java, run from source, so a JDK) needs Java 17 or later. */
export const MIN_JAVA_MAJOR = 17;

export async function preflight(options: { port: number; host: string; nodeVersion?: string; java?: string }): Promise<PreflightResult> {
  const problems: string[] = [];
  const nodeVersion = options.nodeVersion ?? process.versions.node;
  const nodeMajor = Number(nodeVersion.split('.')[0]);
  if (!(nodeMajor >= MIN_NODE_MAJOR))
    problems.push(
      `Node.js ${MIN_NODE_MAJOR} or later is needed (the functions run on nodejs${MIN_NODE_MAJOR}.x), this is ${nodeVersion}: run \`. infra/tools/use-node22.sh\` or install Node ${MIN_NODE_MAJOR}`,
    );
  const java = javaMajor(options.java ?? 'java');
  if (typeof java === 'string') problems.push(java);
  const port = options.port === 0 ? undefined : await portProblem(options.port, options.host);
  if (port) problems.push(port);
  return {
    problems,
    summary: `Node ${nodeVersion}, Java ${typeof java === 'number' ? java : '?'}, ${options.port === 0 ? 'any free port' : `port ${options.port} free`}`,
  };
}

/** Java's major version, or what is wrong with it. */
function javaMajor(command: string): number | string {
  const result = spawnSync(command, ['-version'], { encoding: 'utf8', timeout: 20_000 });
  if (result.error)
    return `Java ${MIN_JAVA_MAJOR} or later is needed to run DynamoDB Local, and \`${command}\` could not be run (${(result.error as NodeJS.ErrnoException).code ?? result.error.message}): install a JDK (e.g. apt-get install openjdk-17-jdk-headless) and put java on PATH`;
  // `java -version` prints to stderr: openjdk version "17.0.15" 2025-04-15, or "1.8.0_402" for Java 8.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return `Java ${MIN_JAVA_MAJOR} or later is needed to run DynamoDB Local; \`${command} -version\` printed no version`;
  const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
  if (major < MIN_JAVA_MAJOR)
    return `Java ${MIN_JAVA_MAJOR} or later is needed to run DynamoDB Local, this is Java ${major}: install a newer JDK`;
  return major;
}

/** Whether the API's port can be listened on; the answer, when it cannot. */
function portProblem(port: number, host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is in use (another npm start?): stop what uses it, or set PORT to another port (PORT=0 picks a free one)`
          : `cannot listen on ${host}:${port} (${error.code ?? error.message}): set PORT and HOST to an address of this machine`,
      ),
    );
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}
