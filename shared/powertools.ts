import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { sourceMappedStack } from './stack-trace';

/**
 * Powertools' log line without what CloudWatch already says for every line of a function: its
 * name, ARN and memory (the log group and Lambda's REPORT line) and the sampling rate (a
 * setting). Kept: level, message, time, service, cold start, request id, trace id, and the keys
 * the handlers append (correlation id, order, step...). About half the bytes of a line. An
 * error's stack is source-mapped as it is written (shared/stack-trace.ts).
 */
export class MallLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(additionalLogAttributes);
  }

  override formatError(error: Error): LogAttributes {
    if (typeof error.stack === 'string') error.stack = sourceMappedStack(error.stack);
    return super.formatError(error);
  }
}

const EMPTY_METRICS = 'No application metrics to publish';
/** Metrics' own warnings, less the one every invocation that adds no metric would print. */
const metricsLog = {
  trace: () => {},
  debug: () => {},
  info: (...args: unknown[]) => console.info(...args),
  warn: (...args: unknown[]) => (String(args[0]).startsWith(EMPTY_METRICS) ? undefined : console.warn(...args)),
  error: (...args: unknown[]) => console.error(...args),
};

// Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and
// POWERTOOLS_METRICS_NAMESPACE, which the ServiceFunction construct sets per function.
export const logger = new Logger({ logFormatter: new MallLogFormatter() });
export const tracer = new Tracer();
export const metrics = new Metrics({ logger: metricsLog });
