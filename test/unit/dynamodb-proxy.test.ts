import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbProxy } from '../../infra/local/dynamodb-proxy';
import { rawRequest } from '../network';

// The proxies in front of DynamoDB Local (the functions' IAM check, the meter): the upstream
// gets its own Host (DynamoDB Local refuses any other), and web pages are refused here too.
let upstream: Server;
let upstreamHost: string;
let proxy: DynamoDbProxy;
let endpoint: string;
const seenHosts: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seenHosts.push(String(req.headers.host));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"TableNames":[]}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamHost = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  proxy = new DynamoDbProxy(`http://${upstreamHost}`, () => undefined);
  endpoint = await proxy.start();
});

afterAll(async () => {
  await proxy?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

describe('DynamoDbProxy', () => {
  const port = () => new URL(endpoint).port;

  it("passes an SDK's request on with the upstream's Host", async () => {
    const reply = await rawRequest(endpoint, 'POST', { host: `127.0.0.1:${port()}`, 'x-amz-target': 'DynamoDB_20120810.ListTables' }, '{}');
    expect(reply.status).toBe(200);
    expect(seenHosts.at(-1)).toBe(upstreamHost);
  });

  it('refuses a rebound name and a foreign origin, and passes neither on', async () => {
    const before = seenHosts.length;
    const rebound = await rawRequest(endpoint, 'POST', { host: `evil.example:${port()}` }, '{}');
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.text).__type).toBe('ForeignRequestRefused');
    const foreign = await rawRequest(endpoint, 'POST', { host: `127.0.0.1:${port()}`, origin: 'https://evil.example' }, '{}');
    expect(foreign.status).toBe(403);
    expect(seenHosts.length).toBe(before);
  });
});
