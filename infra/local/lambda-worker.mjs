// One local Lambda "execution environment": a worker thread with the function's own
// environment variables, running the bundled asset that deploys. Plain JavaScript on purpose:
// it must start without a TypeScript loader.

import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

// Source maps only if the function asks for them, as NODE_OPTIONS does in Lambda (a worker
// thread cannot take NODE_OPTIONS itself). The mall's functions do not: their logger maps stacks.
if (/--enable-source-maps\b/.test(process.env.NODE_OPTIONS ?? '')) process.setSourceMapsEnabled(true);
const { entry, handlerExport, functionName, memoryMb } = workerData;

const serialize = (error) => ({
  errorType: error?.name ?? 'Error',
  errorMessage: error?.message ?? String(error),
  stack: typeof error?.stack === 'string' ? error.stack.split('\n') : [],
});

let handler;
try {
  const module = await import(pathToFileURL(entry).href);
  handler = module[handlerExport];
  if (typeof handler !== 'function') throw new Error(`${entry} does not export a function "${handlerExport}"`);
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'ready', error: serialize(error) });
}

parentPort.on('message', async ({ id, event, requestId, deadline, traceId }) => {
  // As Lambda does, per invocation: the trace the SDK clients propagate, sampled, with this
  // invocation's segment as the parent of what the X-Ray SDK records.
  if (traceId) process.env._X_AMZN_TRACE_ID = `${traceId};Parent=${randomBytes(8).toString('hex')};Sampled=1`;
  else delete process.env._X_AMZN_TRACE_ID;
  const context = {
    awsRequestId: requestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await handler(event, context);
    parentPort.postMessage({ type: 'result', id, result });
  } catch (error) {
    parentPort.postMessage({ type: 'result', id, error: serialize(error) });
  }
});
