import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { metrics } from '../../../shared/powertools';
import { apiAuthorizationCache, flushThrottle, sessionStore } from '../dependencies';
import { emptyRequest } from '../schemas';
import { logout } from '../session-service';

const sessions = sessionStore();
const throttle = flushThrottle();
const authorizationCache = apiAuthorizationCache();

export const handler = apiHandler(emptyRequest, async ({ caller }) => {
  await logout(sessions, authorizationCache, throttle, requireCaller(caller));
  metrics.addMetric('LoggedOut', MetricUnit.Count, 1);
  return {};
});
