/**
 * What Step Functions writes to a state machine's log group (its LoggingConfiguration): one JSON
 * line per execution event of the configured level, the event's details without its input and
 * output unless IncludeExecutionData. Levels, as AWS defines them:
 *   ALL    every event;
 *   ERROR  the events of a failure: a task or Lambda that failed, timed out or could not start,
 *          a Fail state entered, a run that failed, timed out or was aborted;
 *   FATAL  only a run that failed, timed out or was aborted;
 *   OFF    nothing.
 */
export type LogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
export const LOG_LEVELS: LogLevel[] = ['ALL', 'ERROR', 'FATAL', 'OFF'];

const FATAL_EVENTS = /^Execution(Failed|Aborted|TimedOut)$/;
const ERROR_EVENTS = /(Failed|TimedOut|Aborted)$|^FailStateEntered$/;

export function isLogged(level: LogLevel, type: string): boolean {
  if (level === 'ALL') return true;
  if (level === 'ERROR') return ERROR_EVENTS.test(type);
  if (level === 'FATAL') return FATAL_EVENTS.test(type);
  return false;
}

/** The log lines of one execution's events (GetExecutionHistory's format: execution-history.ts) at `level`. */
export function logLinesOf(
  history: Array<Record<string, unknown>>,
  executionArn: string,
  level: LogLevel,
  includeExecutionData = false,
): string[] {
  return history
    .filter((event) => isLogged(level, String(event.type)))
    .map((event) => {
      const detailsKey = Object.keys(event).find((key) => key.endsWith('EventDetails'));
      const details = { ...((detailsKey ? event[detailsKey] : {}) as Record<string, unknown>) };
      if (!includeExecutionData) {
        delete details.input;
        delete details.output;
      }
      return JSON.stringify({
        id: String(event.id),
        type: event.type,
        details,
        previous_event_id: String(event.previousEventId),
        event_timestamp: String(Math.round(Number(event.timestamp) * 1000)),
        execution_arn: executionArn,
        redrive_count: '0',
      });
    });
}

/** Bytes the execution's events take in the log group at each level (what CloudWatch ingests). */
export function logBytesByLevel(history: Array<Record<string, unknown>>, executionArn: string, includeExecutionData = false) {
  const bytes = (level: LogLevel) =>
    logLinesOf(history, executionArn, level, includeExecutionData).reduce((n, line) => n + Buffer.byteLength(line) + 1, 0);
  return Object.fromEntries(LOG_LEVELS.map((level) => [level, bytes(level)])) as Record<LogLevel, number>;
}
