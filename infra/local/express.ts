import { AwsServiceError, type LocalAwsEndpoint } from './aws-services';
import { awsHistoryOf } from './execution-history';
import { type LogLevel, logBytesByLevel } from './state-machine-logs';
import type { ExecutionRecord } from './step-functions';

/** Express's limit on an execution's duration: one still running then is stopped, as timed out. */
export const EXPRESS_LIMIT_MS = 5 * 60_000;

/**
 * What differs on an Express workflow, as the local Step Functions models it:
 *   - an execution runs at most 5 minutes, then stops with status TIMED_OUT (States.Timeout);
 *   - its ARN is `...:express:<machine>:<name>:<uuid>` and names need not be unique: a second
 *     StartExecution of a name runs a second execution;
 *   - delivery is at least once: a StartExecution may run more than once (`redeliverNext`);
 *   - there is no history: DescribeExecution, GetExecutionHistory and StopExecution answer an
 *     Express execution's ARN with InvalidArn, ListExecutions an Express machine with
 *     StateMachineTypeNotSupported (the API reference: "not supported by EXPRESS state machines").
 */
export class ExpressWorkflows {
  private redeliveries = 0;
  private readonly limits = new Map<string, NodeJS.Timeout>();

  constructor(private readonly limitMs = EXPRESS_LIMIT_MS) {}

  static isExpressArn = (arn: unknown) => typeof arn === 'string' && arn.includes(':express:');

  /** A new, unique ARN per StartExecution, as Express hands out. */
  executionArn(stateMachineArn: string, name: string): string {
    return `${stateMachineArn.replace(':stateMachine:', ':express:')}:${name}:${crypto.randomUUID()}`;
  }

  /** AWS's answer to a Standard-only call about an Express execution. */
  static refuse(executionArn: unknown): void {
    if (ExpressWorkflows.isExpressArn(executionArn))
      throw new AwsServiceError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: express'`);
  }

  static refuseMachine(type: string | undefined): object {
    if (type === 'EXPRESS')
      throw new AwsServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    return {};
  }

  /** Stops `record` with TIMED_OUT once it has run the limit. */
  arm(record: ExecutionRecord, timeOut: () => void): void {
    const timer = setTimeout(timeOut, this.limitMs);
    timer.unref();
    this.limits.set(record.executionArn, timer);
  }

  disarm(record: ExecutionRecord): void {
    clearTimeout(this.limits.get(record.executionArn));
    this.limits.delete(record.executionArn);
  }

  /** Whether this StartExecution is to be delivered twice (the fault hook's count). */
  takeRedelivery(): boolean {
    if (this.redeliveries <= 0) return false;
    this.redeliveries--;
    return true;
  }

  /**
   * Test hooks:
   *   GET  /_local/executions                  every execution: name, type, status, ARN, start and stop
   *                                            (Unix ms), what Standard would bill (state transitions), and
   *                                            the bytes its events take in the log group at each level
   *   POST /_local/executions/expire {name}    the running executions named `name` reach Express's
   *                                            time limit now (TIMED_OUT); a Standard one is aborted
   *   POST /_local/executions/redeliver {count}   the next `count` Express StartExecutions run twice
   */
  serve(
    endpoint: LocalAwsEndpoint,
    executions: Map<string, ExecutionRecord>,
    machineOf: (machineArn: string) => { type: string; logging: { level: LogLevel; includeExecutionData: boolean } } | undefined,
  ) {
    const typeOf = (arn: string) => machineOf(arn)?.type;
    endpoint
      .onRest('GET', /^\/_local\/executions$/, async () => ({
        status: 200,
        body: [...executions.values()].map(({ executionArn, name, status, stateMachineArn, startDate, stopDate, events }) => {
          const machine = machineOf(stateMachineArn);
          return {
            executionArn,
            name,
            status,
            type: machine?.type,
            startDate,
            ...(stopDate ? { stopDate } : {}),
            ...billed(events),
            logLevel: machine?.logging.level,
            logBytes: logBytesByLevel(awsHistoryOf(events), executionArn, machine?.logging.includeExecutionData),
          };
        }),
      }))
      .onRest('POST', /^\/_local\/executions\/expire$/, async (_, body: any) => {
        const running = [...executions.values()].filter((e) => e.name === String(body?.name) && e.status === 'RUNNING');
        for (const e of running) {
          if (typeOf(e.stateMachineArn) === 'EXPRESS') e.timeOut?.();
          else e.abort?.();
        }
        await new Promise((r) => setTimeout(r, 20)); // the execution's end is recorded asynchronously
        return { status: 200, body: running.map(({ executionArn, status }) => ({ executionArn, status })) };
      })
      .onRest('POST', /^\/_local\/executions\/redeliver$/, async (_, body: any) => {
        const count = Number(body?.count ?? 1);
        if (!Number.isInteger(count) || count < 0)
          throw new AwsServiceError('ValidationException', 'count must be a whole number >= 0', 400);
        this.redeliveries = count;
        return { status: 200, body: {} };
      });
  }
}

/**
 * What an execution is billed by: `transitions` (Standard: every state entered, and every retry of
 * a Task) and `tasks` (Lambda invocations, retries included).
 */
function billed(raw: ExecutionRecord['events']) {
  const history = awsHistoryOf(raw);
  const count = (test: (type: string) => boolean) => history.filter((e) => test(String(e.type))).length;
  const tasks = count((t) => t === 'LambdaFunctionScheduled');
  return {
    transitions: count((t) => t.endsWith('StateEntered')) + tasks - count((t) => t === 'TaskStateEntered'),
    tasks,
  };
}
