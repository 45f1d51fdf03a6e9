import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { serviceBusy } from './errors';
import { tracer } from './powertools';

// Created on first use, so a module that imports this one but never invokes carries no client.
let client: LambdaClient | undefined;

/** How Lambda reports a function that ran out of time, or that answered busy itself. */
const BUSY_ERRORS = new Set(['Sandbox.Timedout', 'TooManyRequestsException', 'TimeoutError']);

/**
 * Calls another service's internal function synchronously and returns its result: how one
 * service asks another (go-zero's RPC clients) without touching that service's table.
 * A callee that timed out or was busy is the caller's 503 SERVICE_BUSY; any other function
 * error is rethrown, so the caller's own error handling answers 500.
 */
export async function invokeFunction<T>(functionName: string, payload: unknown): Promise<T> {
  client ??= tracer.captureAWSv3Client(new LambdaClient({}));
  const out = await client.send(
    new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
  );
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : 'null';
  if (out.FunctionError) {
    if (BUSY_ERRORS.has(errorTypeIn(text))) throw serviceBusy();
    throw new Error(`${functionName} failed: ${text}`);
  }
  return JSON.parse(text) as T;
}

/** Lambda's error payload is `{ errorType, errorMessage, ... }`. */
function errorTypeIn(payload: string): string {
  try {
    return String((JSON.parse(payload) as { errorType?: unknown } | null)?.errorType ?? '');
  } catch {
    return '';
  }
}
