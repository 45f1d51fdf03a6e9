import { describe, expect, inject, it } from 'vitest';
import { nonLoopbackAddress, rawRequest, tryConnect } from '../network';
import { apiUrl, registerAndLogin } from './client';
import { awsEndpoint } from './local-cloud';

// The local cloud runs with the demo's published passwords and sandbox payments: nobody but
// this machine may reach it, and no web page may drive its hooks (CSRF, DNS rebinding).
describe.skipIf(!awsEndpoint)('the local cloud is reachable from this machine only', () => {
  const apiPort = Number(new URL(apiUrl).port);
  const awsPort = Number(new URL(awsEndpoint ?? 'http://127.0.0.1:1').port);
  const address = nonLoopbackAddress();

  it.skipIf(!address)(`refuses a client that connects through a network interface (${address ?? 'none on this machine'})`, async () => {
    expect(await tryConnect('127.0.0.1', apiPort)).toBe('connected');
    expect(await tryConnect(address!, apiPort)).toBe('ECONNREFUSED');
    expect(await tryConnect(address!, awsPort)).toBe('ECONNREFUSED');
  });

  it('answers a hook called as the tests call it', async () => {
    const settle = await rawRequest(`${awsEndpoint}/_local/events/settle`, 'POST', { host: `127.0.0.1:${awsPort}` }, '{}');
    expect(settle.status).toBe(200);
    const same = await rawRequest(`${awsEndpoint}/_local/functions`, 'GET', {
      host: `localhost:${awsPort}`,
      origin: `http://localhost:${awsPort}`,
      'sec-fetch-site': 'same-origin',
    });
    expect(same.status).toBe(200);
  });

  it('refuses a hook called from a web page on another origin (CSRF)', async () => {
    const csrf = await rawRequest(
      `${awsEndpoint}/_local/faults`,
      'POST',
      { host: `127.0.0.1:${awsPort}`, origin: 'https://evil.example', 'content-type': 'text/plain' },
      JSON.stringify({ function: 'Products/ReserveStock', count: 100 }),
    );
    expect(csrf.status).toBe(403);
    expect(JSON.parse(csrf.text)).toMatchObject({ __type: 'ForeignRequestRefused', message: expect.stringMatching(/evil\.example/) });
    // A cross-site GET (an <img>, a no-cors fetch) carries no Origin, but the browser says where it comes from.
    const crossSite = await rawRequest(`${awsEndpoint}/_console`, 'GET', { host: `127.0.0.1:${awsPort}`, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
  });

  it('refuses a page whose name was re-pointed at 127.0.0.1 (DNS rebinding)', async () => {
    const hook = await rawRequest(`${awsEndpoint}/_local/ttl/run`, 'POST', { host: `rebind.evil.example:${awsPort}` }, '{}');
    expect(hook.status).toBe(403);
    expect(JSON.parse(hook.text).__type).toBe('ForeignRequestRefused');
    const secrets = await rawRequest(
      awsEndpoint!,
      'POST',
      { host: `rebind.evil.example:${awsPort}`, 'x-amz-target': 'secretsmanager.ListSecrets' },
      '{}',
    );
    expect(secrets.status).toBe(403);
    const console = await rawRequest(`${awsEndpoint}/_console`, 'GET', { host: `rebind.evil.example:${awsPort}` });
    expect(console.status).toBe(403);
    const api = await rawRequest(`${apiUrl}/api/home/banners`, 'GET', { host: `rebind.evil.example:${apiPort}` });
    expect(api.status).toBe(403);
    expect(JSON.parse(api.text)).toMatchObject({ code: 'FOREIGN_HOST' });
  });

  it("refuses web pages at DynamoDB Local's endpoint too (no CORS for other origins, no rebound names)", async () => {
    const dynamo = inject('dynamoEndpoint')!;
    const own = `127.0.0.1:${new URL(dynamo).port}`;
    const preflight = await rawRequest(`${dynamo}/`, 'OPTIONS', {
      host: own,
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'x-amz-target,content-type',
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.status).toBe(403);
    const listTables = { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' };
    const rebound = await rawRequest(`${dynamo}/`, 'POST', { host: `rebind.evil.example:${new URL(dynamo).port}`, ...listTables }, '{}');
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.text).__type).toBe('ForeignRequestRefused');
    // The functions' own DynamoDB calls (through the IAM proxy) still work: registering writes and reads the users table.
    expect((await registerAndLogin()).token).toEqual(expect.any(String));
  });
});
