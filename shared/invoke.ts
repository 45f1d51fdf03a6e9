import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { tracer } from './powertools';

const client = tracer.captureAWSv3Client(new LambdaClient({}));

/**
 * Calls another service's internal function synchronously and returns its result: how one
 * service asks another (go-zero's RPC clients) without touching that service's table.
 * A function error is rethrown, so the caller's own error handling answers 5xx.
 */
export async function invokeFunction<T>(functionName: string, payload: unknown): Promise<T> {
  const out = await client.send(
    new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
  );
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : 'null';
  if (out.FunctionError) throw new Error(`${functionName} failed: ${text}`);
  return JSON.parse(text) as T;
}
