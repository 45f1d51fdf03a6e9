import { AwsServiceError } from './aws-services';

/** An event as aws-local-stepfunctions logs it. */
type RawEvent = Record<string, any>;

/**
 * An execution's events as Step Functions' GetExecutionHistory returns them: `<StateType>StateEntered`
 * and `...Exited`, and for a Lambda Task each attempt's LambdaFunctionScheduled, ...Started, then
 * ...Succeeded or ...Failed (error and cause). A retry is a new attempt; a catch has no event of its
 * own. Map and Parallel iterations are left out: the mall's machines have none.
 */
export function awsHistoryOf(raw: RawEvent[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const ev of raw) {
    const add = (type: string, details: Record<string, unknown> = {}) =>
      out.push({ timestamp: ev.timestamp / 1000, type, id: out.length + 1, previousEventId: out.length, ...details });
    const task = ev.state?.type === 'Task';
    const attempt = () => {
      add('LambdaFunctionScheduled');
      add('LambdaFunctionStarted');
    };
    switch (ev.type) {
      case 'ExecutionStarted':
        add('ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(ev.input) } });
        break;
      case 'ExecutionSucceeded':
        add('ExecutionSucceeded', { executionSucceededEventDetails: { output: JSON.stringify(ev.output ?? null) } });
        break;
      case 'ExecutionFailed':
        add('ExecutionFailed', { executionFailedEventDetails: { error: ev.Error, cause: String(ev.Cause ?? '') } });
        break;
      case 'ExecutionAborted':
        add('ExecutionAborted');
        break;
      case 'ExecutionTimeout':
        add('ExecutionTimedOut');
        break;
      case 'StateEntered':
        add(`${ev.state.type}StateEntered`, { stateEnteredEventDetails: { name: ev.state.name, input: JSON.stringify(ev.state.input) } });
        if (task) attempt();
        break;
      case 'StateRetried':
        if (task) attempt();
        break;
      case 'StateFailed':
        if (task) add('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error: ev.Error, cause: String(ev.Cause ?? '') } });
        break;
      case 'StateExited':
        if (task) add('LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: JSON.stringify(ev.state.output) } });
        add(`${ev.state.type}StateExited`, { stateExitedEventDetails: { name: ev.state.name, output: JSON.stringify(ev.state.output) } });
        break;
    }
  }
  return out;
}

/** One page of the history, as GetExecutionHistory pages it: `maxResults` (1000 at most), oldest first unless `reverseOrder`. */
export function historyPage(
  events: Array<Record<string, unknown>>,
  { maxResults, reverseOrder, nextToken }: { maxResults?: number; reverseOrder?: boolean; nextToken?: string },
): { events: Array<Record<string, unknown>>; nextToken?: string } {
  const size = maxResults || 100;
  if (size < 0 || size > 1000) throw new AwsServiceError('ValidationException', 'maxResults must be between 0 and 1000');
  const ordered = reverseOrder ? [...events].reverse() : events;
  const from = nextToken ? Number(nextToken) : 0;
  if (!Number.isInteger(from) || from < 0) throw new AwsServiceError('InvalidToken', 'Invalid Token');
  const to = from + size;
  return { events: ordered.slice(from, to), ...(to < ordered.length ? { nextToken: String(to) } : {}) };
}
