import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { logger, metrics, tracer } from '../powertools';
import { type SagaInput, type StepOutcome, sagaInput } from '../saga';
import { lambdaHandler } from './lambda';

const stepInput = sagaInput.extend({ failure: z.object({ reason: z.string().optional() }).optional() });

/**
 * A saga participant's Lambda (a Task state of the order saga): the common middleware, the
 * validated saga input, the order and step in every log line and trace, and an outcome.
 * A compensation also counts CompensationRun by step.
 */
export function sagaStep(
  step: string,
  run: (input: SagaInput & { failure?: { reason?: string } }, raw: unknown) => Promise<StepOutcome>,
  options: { compensation?: boolean } = {},
) {
  return lambdaHandler<unknown, StepOutcome>().handler(async (event) => {
    const input = stepInput.parse(event);
    logger.appendKeys({
      orderId: input.orderId,
      sagaStep: step,
      ...(input.correlationId ? { correlation_id: input.correlationId } : {}),
    });
    tracer.putAnnotation('orderId', input.orderId);
    tracer.putAnnotation('sagaStep', step);
    const outcome = await run(input, event);
    logger.info('saga step done', { outcome });
    tracer.putAnnotation('outcome', outcome.outcome);
    if (options.compensation) {
      const compensation = metrics.singleMetric();
      compensation.addDimension('step', step);
      compensation.addMetric('CompensationRun', MetricUnit.Count, 1);
    }
    return outcome;
  });
}
