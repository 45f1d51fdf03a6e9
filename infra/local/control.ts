import * as fs from 'node:fs';
import { AwsServiceError, type LocalAwsEndpoint } from './aws-services';
import type { LocalEventBridge } from './event-bridge';
import type { LocalLambdas } from './lambda-runtime';
import type { LocalSchedules } from './schedules';
import type { LocalStepFunctions } from './step-functions';
import type { LocalTtl } from './ttl';
import type { LocalXRayDaemon } from './xray-daemon';

/**
 * Test and developer hooks on the loopback AWS endpoint (never on the API port):
 *   GET  /_local/functions                      the functions, with their construct paths
 *   POST /_local/faults {function, count, errorType?, delayMs?}   the next `count` calls fail (participant down), or are late
 *   POST /_local/rules/fire {rule, time?}       fire a scheduled rule now, as if it were `time`
 *   GET  /_local/executions                     every saga execution with its status
 *   POST /_local/events/replay {detailType?}    replay archived events; answers when delivered
 *   POST /_local/events/settle                  answers once every event delivery has finished
 *   POST /_local/events/failures {count}        the next `count` PutEvents entries are refused (FailedEntryCount, InternalFailure)
 *   GET  /_local/events                         the archive: every event put on a bus
 *   GET  /_local/dead-letters                   what each dead-letter queue holds
 *   GET  /_local/logs                           every function log line so far
 *   GET  /_local/traces/segments                every X-Ray segment document the functions sent
 *   POST /_local/ttl/run {time?}                delete what DynamoDB TTL would by `time`; answers what went
 */
export function serveControl(
  aws: LocalAwsEndpoint,
  {
    lambdas,
    schedules,
    stepFunctions,
    eventBridge,
    ttl,
    xray,
    functionLogFile,
  }: {
    lambdas: LocalLambdas;
    schedules: LocalSchedules;
    stepFunctions: LocalStepFunctions;
    eventBridge: LocalEventBridge;
    ttl: LocalTtl;
    xray: LocalXRayDaemon;
    functionLogFile: string;
  },
): void {
  const byName = (part: unknown) => {
    const found = lambdas.list().filter((f) => f.name.endsWith(`/${String(part)}`) || f.logicalId === part);
    if (found.length !== 1) throw new AwsServiceError('ResourceNotFoundException', `${found.length} functions match "${part}"`, 404);
    return found[0]!.logicalId;
  };
  aws
    .onRest('GET', /^\/_local\/functions$/, async () => ({ status: 200, body: lambdas.list() }))
    .onRest('POST', /^\/_local\/faults$/, async (_, body: any) => {
      lambdas.injectFaults(byName(body.function), Number(body.count ?? 1), body.errorType, body.delayMs ? Number(body.delayMs) : undefined);
      return { status: 200, body: {} };
    })
    .onRest('POST', /^\/_local\/rules\/fire$/, async (_, body: any) => ({
      status: 200,
      body: await schedules.fire(String(body.rule), body.time ? new Date(body.time) : new Date()),
    }))
    .onRest('POST', /^\/_local\/events\/replay$/, async (_, body: any) => {
      const replayed = eventBridge.replay(body?.detailType);
      await eventBridge.settled();
      return { status: 200, body: { replayed } };
    })
    .onRest('POST', /^\/_local\/events\/settle$/, async () => {
      await eventBridge.settled();
      return { status: 200, body: {} };
    })
    .onRest('POST', /^\/_local\/events\/failures$/, async (_, body: any) => {
      const count = Number(body?.count ?? 1);
      if (!Number.isInteger(count) || count < 0) throw new AwsServiceError('ValidationException', 'count must be a whole number >= 0', 400);
      eventBridge.failNext(count);
      return { status: 200, body: {} };
    })
    .onRest('GET', /^\/_local\/events$/, async () => ({ status: 200, body: eventBridge.archive.map((a) => a.event) }))
    .onRest('POST', /^\/_local\/ttl\/run$/, async (_, body: any) => ({
      status: 200,
      body: { deleted: await ttl.run(body?.time ? new Date(body.time) : new Date()) },
    }))
    .onRest('GET', /^\/_local\/logs$/, async () => ({
      status: 200,
      body: { lines: fs.readFileSync(functionLogFile, 'utf8').split('\n') },
    }))
    .onRest('GET', /^\/_local\/traces\/segments$/, async () => ({ status: 200, body: xray.segments() }))
    .onRest('GET', /^\/_local\/dead-letters$/, async () => ({ status: 200, body: Object.fromEntries(eventBridge.deadLetters) }))
    .onRest('GET', /^\/_local\/executions$/, async () => ({
      status: 200,
      body: [...stepFunctions.executions.values()].map(({ name, status, error, cause, startDate, stopDate }) => ({
        name,
        status,
        error,
        cause,
        startDate,
        stopDate,
      })),
    }));
}
