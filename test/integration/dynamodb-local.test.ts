import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nonLoopbackAddress, rawRequest, tryConnect } from '../network';
import { localTable } from './local-table';

// DynamoDB Local as the local cloud runs it: reachable on loopback only, and with AWS's limits.
let local: Awaited<ReturnType<typeof localTable>>;
const TABLE = 'Limits';

beforeAll(async () => {
  local = await localTable(TABLE);
}, 90_000);

afterAll(() => local?.stop());

const puts = (n: number) =>
  Array.from({ length: n }, (_, k) => ({ Put: { TableName: TABLE, Item: { pk: `item-${n}-${k}`, sk: 'ITEM', n: k } } }));

describe('DynamoDB Local in the local cloud', () => {
  const address = nonLoopbackAddress();
  it.skipIf(!address)('refuses connections that do not come through loopback', async () => {
    const port = Number(new URL(local.dynamo.endpoint).port);
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    expect(await tryConnect(address!, port)).toBe('ECONNREFUSED');
  });

  // No web page may use it: not cross-origin (CORS), not by re-pointing its own name at 127.0.0.1 (DNS rebinding).
  const listTables = {
    'x-amz-target': 'DynamoDB_20120810.ListTables',
    'content-type': 'application/x-amz-json-1.0',
    // DynamoDB Local wants the header, not a valid signature.
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  };
  const port = () => Number(new URL(local.dynamo.endpoint).port);

  it('grants no foreign origin: a cross-origin preflight gets no Access-Control-Allow-Origin', async () => {
    const preflight = await rawRequest(`${local.dynamo.endpoint}/`, 'OPTIONS', {
      host: `127.0.0.1:${port()}`,
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'x-amz-target,content-type',
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.status).toBe(403);
    const post = await rawRequest(
      `${local.dynamo.endpoint}/`,
      'POST',
      { host: `127.0.0.1:${port()}`, origin: 'https://evil.example', ...listTables },
      '{}',
    );
    expect(post.status).toBe(403);
    expect(JSON.parse(post.text)).toMatchObject({ __type: 'ForeignRequestRefused', message: expect.stringMatching(/evil\.example/) });
  });

  it('refuses a request whose Host is not its loopback address (DNS rebinding), and serves its own names', async () => {
    const rebound = await rawRequest(`${local.dynamo.endpoint}/`, 'POST', { host: `evil.example:${port()}`, ...listTables }, '{}');
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.text).__type).toBe('ForeignRequestRefused');
    expect((await rawRequest(`${local.dynamo.endpoint}/`, 'POST', { host: 'evil.example', ...listTables }, '{}')).status).toBe(403);
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`]) {
      const own = await rawRequest(`${local.dynamo.endpoint}/`, 'POST', { host, ...listTables }, '{}');
      expect(JSON.parse(own.text)).toEqual({ TableNames: [TABLE] });
    }
  });

  it('enforces the 100-item limit of a transaction, as DynamoDB does', async () => {
    await local.db.send(new TransactWriteCommand({ TransactItems: puts(100) }));
    await expect(local.db.send(new TransactWriteCommand({ TransactItems: puts(101) }))).rejects.toThrow(/100/);
  });
});
