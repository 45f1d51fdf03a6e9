import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiHandler } from '../../../shared/handlers/api';
import { metrics } from '../../../shared/powertools';
import { loginLockout, tokenSettings, userStore } from '../dependencies';
import { loginRequest } from '../schemas';
import { login } from '../user-service';

const users = userStore();
const tokens = tokenSettings();
const lockout = loginLockout();

export const handler = apiHandler(loginRequest, async ({ input }) => {
  try {
    const session = await login(users, tokens, lockout, input);
    metrics.addMetric('LoginSucceeded', MetricUnit.Count, 1);
    return session;
  } catch (error) {
    // A rising count is the signal of password guessing.
    metrics.addMetric('LoginFailed', MetricUnit.Count, 1);
    throw error;
  }
});
