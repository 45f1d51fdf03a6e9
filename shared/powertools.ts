import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { sourceMappedStack } from './stack-trace';

/**
 * Powertools' own log format (PowertoolsLogFormatter's attributes, in its order), except that an
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
        function_arn: attributes.lambdaContext?.invokedFunctionArn,
        function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
        tenant_id: attributes.lambdaContext?.tenantId,
      },
    }).addAttributes(additionalLogAttributes);
  }

  override formatError(error: Error): LogAttributes {
    if (typeof error.stack === 'string') error.stack = sourceMappedStack(error.stack);
    return super.formatError(error);
  }
}

// Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and
// POWERTOOLS_METRICS_NAMESPACE, which the ServiceFunction construct sets per function.
export const logger = new Logger({ logFormatter: new MallLogFormatter() });
export const tracer = new Tracer();
export const metrics = new Metrics();
