import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsServiceError, type LocalAwsEndpoint } from './aws-services';
import { awsHistoryOf, historyPage } from './execution-history';
import { ExpressWorkflows } from './express';
import type { LocalLambdas } from './lambda-runtime';
import { type LogLevel, logLinesOf } from './state-machine-logs';
import { LocalTelemetry } from './telemetry';
import type { SynthesizedTemplate } from './template';

// aws-local-stepfunctions needs Promise.withResolvers (Node 22). Without it every Task fails,
// and a States.ALL catch would silently turn that into compensation.
const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
promiseStatics.withResolvers ??= () => {
  const parts: { resolve?: (value: unknown) => void; reject?: (reason: unknown) => void } = {};
  const promise = new Promise((resolve, reject) => Object.assign(parts, { resolve, reject }));
  return { promise, ...parts };
};

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  events: Array<Record<string, unknown>>;
  traceId: string;
  abort?: () => void;
  /** Express only: ends the execution as its time limit does. */
  timeOut?: () => void;
}

interface Machine {
  arn: string;
  definition: Record<string, any>;
  type: string;
  taskStates: Array<{ state: string; functionId: string }>;
  /** Its LoggingConfiguration: which events go to its log group (state-machine-logs.ts). */
  logging: { level: LogLevel; includeExecutionData: boolean };
  /** Validated by its first execution; later ones skip the validation (ajv, ~95 ms of main-thread CPU each). */
  validated?: boolean;
}

/**
 * Local Step Functions: the template's state machines run in process by aws-local-stepfunctions,
 * their Task states invoking the local functions. Functions reach it through the normal SFN
 * SDK client (StartExecution, DescribeExecution, StopExecution, GetExecutionHistory). Every
 * execution's history is kept, and written to `historyDir` when it ends; the events its machine's
 * LoggingConfiguration selects are appended to `logFile`, as Step Functions sends them to the
 * machine's log group.
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, Machine>();
  readonly executions = new Map<string, ExecutionRecord>();
  private readonly express = new ExpressWorkflows();

  constructor(
    template: SynthesizedTemplate,
    private readonly lambdas: LocalLambdas,
    private readonly options: { retryPauseMs?: number; historyDir?: string; logFile?: string },
  ) {
    for (const [logicalId, resource] of template.ofType('AWS::StepFunctions::StateMachine')) {
      const p = resource.Properties ?? {};
      const definition = p.DefinitionString ? JSON.parse(String(template.resolve(p.DefinitionString))) : template.resolve(p.Definition);
      const arn = template.ref(logicalId);
      const taskStates = Object.entries<any>(definition.States)
        .filter(([, s]) => s.Type === 'Task')
        .map(([state, s]) => {
          const functionId = String(s.Resource).split(':function:')[1]?.split(':')[0];
          if (!functionId) throw new Error(`state ${state} of ${logicalId}: only Lambda tasks (payloadResponseOnly) run locally`);
          return { state, functionId };
        });
      const logging = {
        level: (p.LoggingConfiguration?.Level ?? 'OFF') as LogLevel,
        includeExecutionData: p.LoggingConfiguration?.IncludeExecutionData === true,
      };
      this.machines.set(arn, { arn, definition, type: p.StateMachineType ?? 'STANDARD', taskStates, logging });
    }
    if (options.historyDir) fs.mkdirSync(options.historyDir, { recursive: true });
  }

  serve(endpoint: LocalAwsEndpoint): void {
    this.express.serve(endpoint, this.executions, (arn) => this.machines.get(arn));
    endpoint
      .onTarget('AWSStepFunctions.StartExecution', (input) => this.start(input))
      .onTarget('AWSStepFunctions.DescribeExecution', ({ executionArn }) => {
        ExpressWorkflows.refuse(executionArn);
        const e = this.get(executionArn);
        return {
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          input: e.input,
          ...(e.output !== undefined ? { output: e.output } : {}),
          ...(e.error ? { error: e.error, cause: e.cause } : {}),
          startDate: e.startDate / 1000,
          ...(e.stopDate ? { stopDate: e.stopDate / 1000 } : {}),
        };
      })
      .onTarget('AWSStepFunctions.StopExecution', ({ executionArn }) => {
        ExpressWorkflows.refuse(executionArn);
        const e = this.get(executionArn);
        e.abort?.();
        return { stopDate: Date.now() / 1000 };
      })
      .onTarget('AWSStepFunctions.GetExecutionHistory', ({ executionArn, ...paging }) => {
        ExpressWorkflows.refuse(executionArn);
        return historyPage(awsHistoryOf(this.get(executionArn).events), paging);
      })
      .onTarget('AWSStepFunctions.ListExecutions', ({ stateMachineArn }) => ({
        ...ExpressWorkflows.refuseMachine(this.machines.get(stateMachineArn)?.type),
        executions: [...this.executions.values()]
          .filter((e) => (stateMachineArn ? e.stateMachineArn === stateMachineArn : !ExpressWorkflows.isExpressArn(e.executionArn)))
          .map(({ executionArn, name, status, startDate, stopDate }) => ({
            executionArn,
            name,
            status,
            startDate: startDate / 1000,
            stopDate: stopDate && stopDate / 1000,
          })),
      }));
  }

  /** Resolves when no execution is running (for benchmarks and orderly shutdown). */
  async idle(): Promise<void> {
    while ([...this.executions.values()].some((e) => e.status === 'RUNNING')) await new Promise((r) => setTimeout(r, 50));
  }

  stop(): void {
    for (const e of this.executions.values()) if (e.status === 'RUNNING') e.abort?.();
  }

  private async start(request: { stateMachineArn: string; name?: string; input?: string; traceHeader?: string }) {
    const { stateMachineArn, name, input = '{}', traceHeader } = request;
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const executionName = name ?? crypto.randomUUID();
    const express = machine.type === 'EXPRESS';
    const executionArn = express
      ? this.express.executionArn(stateMachineArn, executionName)
      : `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn, startDate: existing.startDate / 1000 };
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const { StateMachine } = await import('aws-local-stepfunctions');
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      name: executionName,
      status: 'RUNNING',
      input,
      startDate: Date.now(),
      events: [],
      traceId: traceHeader?.match(/Root=[^;]+/)?.[0] ?? LocalTelemetry.newTraceId(),
    };
    this.executions.set(executionArn, record);

    const handlers = Object.fromEntries(
      machine.taskStates.map(({ state, functionId }) => [
        state,
        async (stateInput: unknown) => {
          // The execution continues the trace of the request that started it.
          const outcome = await this.lambdas.invoke(functionId, stateInput, record.traceId, { stateMachineArn: machine.arn });
          if (outcome.ok) return outcome.result as never;
          // The Lambda error's type is the ASL error name, and its cause the error as JSON, as Step Functions reports them.
          const error = new Error(JSON.stringify({ errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage }));
          error.name = outcome.error.errorType;
          throw error;
        },
      ]),
    );
    const pause = this.options.retryPauseMs;
    const validationOptions = machine.validated ? { noValidate: true } : { checkPaths: false, checkArn: false };
    const stateMachine = new StateMachine(machine.definition as never, { validationOptions });
    machine.validated = true;
    const execution = stateMachine.run(JSON.parse(input), {
      overrides: {
        taskResourceLocalHandlers: handlers,
        ...(pause !== undefined
          ? { retryIntervalOverrides: Object.fromEntries(machine.taskStates.map(({ state }) => [state, pause])) }
          : {}),
      },
      context: {
        Execution: {
          Id: executionArn,
          Name: executionName,
          Input: JSON.parse(input),
          StartTime: new Date(record.startDate).toISOString(),
        },
      } as never,
    });
    record.abort = () => execution.abort();
    let timedOut = false;
    if (express) {
      record.timeOut = () => {
        timedOut = true;
        execution.abort();
      };
      this.express.arm(record, record.timeOut);
      if (this.express.takeRedelivery()) setTimeout(() => void this.start({ ...request, name: executionName }).catch(() => {}), 10);
    }
    void (async () => {
      for await (const event of execution.eventLogs) record.events.push(event as unknown as Record<string, unknown>);
    })().catch(() => {});
    execution.result.then(
      (output) => this.finish(record, 'SUCCEEDED', { output: JSON.stringify(output ?? null) }),
      (error: Error) =>
        this.finish(record, error?.name !== 'ExecutionAbortedError' ? 'FAILED' : timedOut ? 'TIMED_OUT' : 'ABORTED', {
          error: timedOut ? 'States.Timeout' : ((error as { name?: string })?.name ?? 'Error'),
          cause: error?.message,
        }),
    );
    return { executionArn, startDate: record.startDate / 1000 };
  }

  private finish(record: ExecutionRecord, status: ExecutionRecord['status'], extra: Partial<ExecutionRecord>): void {
    Object.assign(record, { status, stopDate: Date.now(), ...extra });
    delete record.abort;
    delete record.timeOut;
    this.express.disarm(record);
    const logging = this.machines.get(record.stateMachineArn)?.logging;
    if (this.options.logFile && logging) {
      const lines = logLinesOf(awsHistoryOf(record.events), record.executionArn, logging.level, logging.includeExecutionData);
      if (lines.length) fs.appendFile(this.options.logFile, lines.map((line) => `${line}\n`).join(''), () => {});
    }
    if (this.options.historyDir) {
      const { abort: _abort, timeOut: _timeOut, ...history } = record;
      fs.writeFile(path.join(this.options.historyDir, `${record.name}.json`), JSON.stringify(history, null, 2), () => {});
    }
  }

  private get(executionArn: string): ExecutionRecord {
    const e = this.executions.get(executionArn);
    if (!e) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return e;
  }
}
