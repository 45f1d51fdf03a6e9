import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiHandler } from '../../../shared/handlers/api';
import { metrics } from '../../../shared/powertools';
import { catalog } from '../dependencies';
import { createProduct } from '../product-service';
import { createProductRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(createProductRequest, async ({ input }) => {
  const created = await createProduct(repo, input);
  metrics.addMetric('ProductCreated', MetricUnit.Count, 1);
  return created;
});
