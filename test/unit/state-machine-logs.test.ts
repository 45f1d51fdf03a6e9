import { describe, expect, it } from 'vitest';
import { isLogged, logBytesByLevel, logLinesOf } from '../../infra/local/state-machine-logs';

const ARN = 'arn:aws:states:us-east-1:000000000000:express:Saga:order-1:abc';
let id = 0;
const event = (type: string, details: Record<string, unknown> = {}) => ({
  timestamp: 1_795_000_000.5,
  type,
  id: ++id,
  previousEventId: id - 1,
  ...details,
});

const succeeded = [
  event('ExecutionStarted', { executionStartedEventDetails: { input: '{"uid":7,"mobile":"13800000001"}' } }),
  event('TaskStateEntered', { stateEnteredEventDetails: { name: 'ReserveStock', input: '{}' } }),
  event('LambdaFunctionScheduled'),
  event('LambdaFunctionStarted'),
  event('LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: '{}' } }),
  event('TaskStateExited', { stateExitedEventDetails: { name: 'ReserveStock', output: '{}' } }),
  event('ExecutionSucceeded', { executionSucceededEventDetails: { output: '{}' } }),
];
const failed = [
  event('ExecutionStarted', { executionStartedEventDetails: { input: '{}' } }),
  event('TaskStateEntered', { stateEnteredEventDetails: { name: 'ReserveStock', input: '{}' } }),
  event('LambdaFunctionScheduled'),
  event('LambdaFunctionStarted'),
  event('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error: 'ServiceUnavailable', cause: 'busy' } }),
  event('ExecutionFailed', { executionFailedEventDetails: { error: 'ServiceUnavailable', cause: 'busy' } }),
];

describe("a state machine's log group, as Step Functions writes it", () => {
  it('at ALL, every event, without input and output unless execution data is included', () => {
    const lines = logLinesOf(succeeded, ARN, 'ALL').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.type)).toEqual(succeeded.map((e) => e.type));
    expect(lines[1]).toEqual({
      id: '2',
      type: 'TaskStateEntered',
      details: { name: 'ReserveStock' },
      previous_event_id: '1',
      event_timestamp: '1795000000500',
      execution_arn: ARN,
      redrive_count: '0',
    });
    expect(JSON.stringify(lines)).not.toContain('13800000001');
    expect(JSON.parse(logLinesOf(succeeded, ARN, 'ALL', true)[0]!).details.input).toContain('13800000001');
  });

  it("at ERROR, a failure's events and nothing of a run that succeeds; at FATAL, only the run's end; at OFF, nothing", () => {
    expect(logLinesOf(succeeded, ARN, 'ERROR')).toEqual([]);
    expect(logLinesOf(failed, ARN, 'ERROR').map((line) => JSON.parse(line).type)).toEqual(['LambdaFunctionFailed', 'ExecutionFailed']);
    expect(logLinesOf(failed, ARN, 'FATAL').map((line) => JSON.parse(line).type)).toEqual(['ExecutionFailed']);
    expect(logLinesOf(failed, ARN, 'OFF')).toEqual([]);
    for (const type of ['TaskTimedOut', 'LambdaFunctionStartFailed', 'FailStateEntered', 'ExecutionAborted', 'ExecutionTimedOut'])
      expect(isLogged('ERROR', type)).toBe(true);
    for (const type of ['TaskStateEntered', 'LambdaFunctionSucceeded', 'ExecutionSucceeded']) expect(isLogged('ERROR', type)).toBe(false);
  });

  it('counts the bytes each level would ingest', () => {
    const bytes = logBytesByLevel(failed, ARN);
    expect(bytes.ALL).toBeGreaterThan(bytes.ERROR);
    expect(bytes.ERROR).toBeGreaterThan(bytes.FATAL);
    expect(bytes.OFF).toBe(0);
    expect(bytes.FATAL).toBe(Buffer.byteLength(logLinesOf(failed, ARN, 'FATAL')[0]!) + 1);
  });
});
