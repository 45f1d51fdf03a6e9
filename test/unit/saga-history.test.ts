import { describe, expect, it } from 'vitest';
import { lastErrorIn } from '../../functions/order/order-saga-service';
import { awsHistoryOf, historyPage } from '../../infra/local/execution-history';

// A saga run's last error, read from its history as Step Functions returns it; and the local
// cloud's history in that shape.

const at = (s: number) => new Date(s * 1000);

describe('lastErrorIn (newest first)', () => {
  it("takes the newest failure: a Lambda's errorMessage from its JSON cause, another cause as it is", () => {
    const lambdaCause = JSON.stringify({ errorType: 'ServiceUnavailable', errorMessage: 'stock is down', trace: ['at x'] });
    expect(
      lastErrorIn([
        { type: 'LambdaFunctionStarted', id: 9, timestamp: at(30) },
        {
          type: 'LambdaFunctionFailed',
          id: 8,
          timestamp: at(20),
          lambdaFunctionFailedEventDetails: { error: 'ServiceUnavailable', cause: lambdaCause },
        },
        {
          type: 'TaskFailed',
          id: 4,
          timestamp: at(10),
          taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'States.Timeout', cause: 'older' },
        },
      ]),
    ).toEqual({ error: 'ServiceUnavailable', cause: 'stock is down', time: 20 });
    expect(
      lastErrorIn([
        {
          type: 'TaskFailed',
          id: 4,
          timestamp: at(10),
          taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'States.Timeout', cause: 'x'.repeat(900) },
        },
      ]),
    ).toEqual({
      error: 'States.Timeout',
      cause: 'x'.repeat(500),
      time: 10,
    });
    expect(
      lastErrorIn([{ type: 'TaskStateEntered', id: 1, timestamp: at(1), stateEnteredEventDetails: { name: 'ReleaseStock' } }]),
    ).toBeUndefined();
  });
});

describe("the local cloud's GetExecutionHistory", () => {
  const raw = [
    { type: 'ExecutionStarted', timestamp: 1000, input: { orderId: 1 } },
    { type: 'StateEntered', timestamp: 1001, state: { name: 'ReleaseStock', type: 'Task', input: {} } },
    {
      type: 'StateFailed',
      timestamp: 1002,
      state: { name: 'ReleaseStock', type: 'Task' },
      Error: 'ServiceUnavailable',
      Cause: '{"errorMessage":"down"}',
    },
    { type: 'StateRetried', timestamp: 1003, state: { name: 'ReleaseStock', type: 'Task' } },
    { type: 'StateExited', timestamp: 1004, state: { name: 'ReleaseStock', type: 'Task', output: { ok: true } } },
    { type: 'ExecutionSucceeded', timestamp: 1005, output: { ok: true } },
  ];

  it("names events as Step Functions does, a Task's attempts as Lambda events", () => {
    const events = awsHistoryOf(raw);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[4]).toEqual({
      timestamp: 1.002,
      type: 'LambdaFunctionFailed',
      id: 5,
      previousEventId: 4,
      lambdaFunctionFailedEventDetails: { error: 'ServiceUnavailable', cause: '{"errorMessage":"down"}' },
    });
  });

  it('pages newest first with reverseOrder and maxResults', () => {
    const events = awsHistoryOf(raw);
    const first = historyPage(events, { reverseOrder: true, maxResults: 4 });
    expect(first.events.map((e) => e.id)).toEqual([10, 9, 8, 7]);
    expect(historyPage(events, { reverseOrder: true, maxResults: 4, nextToken: first.nextToken }).events.map((e) => e.id)).toEqual([
      6, 5, 4, 3,
    ]);
    expect(historyPage(events, {}).nextToken).toBeUndefined();
  });
});
