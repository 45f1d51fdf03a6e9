import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { metrics } from '../../../shared/powertools';
import { apiAuthorizationCache, userStore } from '../dependencies';
import { emptyRequest } from '../schemas';
import { logout } from '../user-service';

const users = userStore();
const authorizationCache = apiAuthorizationCache();

export const handler = apiHandler(emptyRequest, async ({ caller }) => {
  await logout(users, authorizationCache, requireCaller(caller));
  metrics.addMetric('LoggedOut', MetricUnit.Count, 1);
  return {};
});
