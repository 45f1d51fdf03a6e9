import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureLambdaHandler, Tracer } from '../../shared/tracing';

/**
 * shared/tracing.ts writes what Powertools' tracer and the X-Ray SDK wrote, to a UDP daemon as in
 * Lambda: a `## <handler>` subsegment per invocation, annotated, with a subsegment per SDK call.
 */
const TRACE = '1-5759e988-bd862e3fe1be46a994272793';
const LAMBDA_SEGMENT = '53995c3f42cd8ad8';
const daemon = createSocket('udp4');
let documents: Array<Record<string, any>> = [];
const saved = { ...process.env };
let sentHeaders: Record<string, string>[] = [];

/** A DynamoDB client answering every call itself, as DynamoDB would (or failing as asked). */
function dynamo(status = 200) {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        sentHeaders.push(request.headers);
        const body = status === 200 ? '{}' : '{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}';
        return { response: { statusCode: status, headers: { 'x-amzn-requestid': 'request-1' }, body: Readable.from([body]) } };
      },
    } as never,
  });
}

function lambdaEnvironment(sampled = '1') {
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    _HANDLER: 'index.handler',
    POWERTOOLS_SERVICE_NAME: 'order',
    _X_AMZN_TRACE_ID: `Root=${TRACE};Parent=${LAMBDA_SEGMENT};Sampled=${sampled}`,
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
  });
}

function tracedHandler(tracer: Tracer, client: DynamoDBClient) {
  return middy(async (event: { fail?: boolean }) => {
    tracer.putAnnotation('orderId', 7);
    await client.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'ORDER#7' } } }));
    if (event.fail) throw new Error('the step failed');
    return { ok: true };
  }).use(captureLambdaHandler(tracer));
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('X-Ray tracing without the X-Ray SDK', () => {
  beforeAll(async () => {
    daemon.on('message', (m) => {
      const text = m.toString();
      expect(text.slice(0, text.indexOf('\n'))).toBe('{"format":"json","version":1}');
      documents.push(JSON.parse(text.slice(text.indexOf('\n') + 1)));
    });
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    daemon.close();
    process.env = saved;
  });
  beforeEach(() => {
    process.env = { ...saved };
    documents = [];
    sentHeaders = [];
  });

  it("sends each invocation's handler subsegment with its annotations and its SDK calls", async () => {
    lambdaEnvironment();
    const tracer = new Tracer();
    const handler = tracedHandler(tracer, tracer.captureAWSv3Client(dynamo()));
    await handler({}, {} as never);
    await expect(handler({ fail: true }, {} as never)).rejects.toThrow('the step failed');
    await settle();

    expect(documents).toHaveLength(2);
    const [first, second] = documents;
    expect(first).toMatchObject({
      name: '## index.handler',
      type: 'subsegment',
      trace_id: TRACE,
      parent_id: LAMBDA_SEGMENT,
      annotations: { ColdStart: true, Service: 'order', orderId: 7 },
    });
    expect(first!.end_time).toBeGreaterThanOrEqual(first!.start_time);
    expect(first!.fault).toBeUndefined();
    const call = first!.subsegments[0];
    expect(call).toMatchObject({
      name: 'DynamoDB',
      namespace: 'aws',
      aws: { operation: 'GetItem', region: 'us-east-1', table_name: 'Orders', request_id: 'request-1', retries: 0 },
      http: { response: { status: 200 } },
    });
    // The call carries the trace on to the service, with its own subsegment as parent.
    expect(sentHeaders[0]!['X-Amzn-Trace-Id']).toBe(`Root=${TRACE};Parent=${call.id};Sampled=1`);

    expect(second).toMatchObject({ annotations: { ColdStart: false }, fault: true });
    expect(second!.cause.exceptions[0]).toMatchObject({ type: 'Error', message: 'the step failed' });
    expect(JSON.stringify(documents)).not.toContain('"ok":true'); // responses are never recorded
  });

  it('marks a failed SDK call as an error of the service', async () => {
    lambdaEnvironment();
    const tracer = new Tracer();
    await expect(tracedHandler(tracer, tracer.captureAWSv3Client(dynamo(400)))({}, {} as never)).rejects.toThrow('no table');
    await settle();
    expect(documents[0]!.subsegments[0]).toMatchObject({
      error: true,
      http: { response: { status: 400 } },
      cause: { exceptions: [{ type: 'ResourceNotFoundException', message: 'no table', remote: true }] },
    });
  });

  it('sends nothing when the request was not sampled, outside Lambda, or when turned off', async () => {
    for (const setup of [
      () => lambdaEnvironment('0'),
      () => {
        lambdaEnvironment();
        delete process.env.AWS_EXECUTION_ENV;
      },
      () => {
        lambdaEnvironment();
        process.env.POWERTOOLS_TRACE_ENABLED = 'false';
      },
    ]) {
      setup();
      const tracer = new Tracer();
      expect(await tracedHandler(tracer, tracer.captureAWSv3Client(dynamo()))({}, {} as never)).toEqual({ ok: true });
    }
    await settle();
    expect(documents).toEqual([]);
    expect(sentHeaders.map((h) => h['X-Amzn-Trace-Id'])).toEqual([undefined, undefined, undefined]);
  });
});
