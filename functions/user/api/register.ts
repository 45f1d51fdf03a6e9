import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiHandler } from '../../../shared/handlers/api';
import { metrics } from '../../../shared/powertools';
import { userStore } from '../dependencies';
import { registerRequest } from '../schemas';
import { register } from '../user-service';

const users = userStore();

export const handler = apiHandler(registerRequest, async ({ input }) => {
  const profile = await register(users, input);
  metrics.addMetric('UserRegistered', MetricUnit.Count, 1);
  return profile;
});
