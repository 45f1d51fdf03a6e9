import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { metrics } from '../../../shared/powertools';
import { loginLockout, profileDeps, tokenSettings } from '../dependencies';
import { changePassword } from '../profile-service';
import { changePasswordRequest } from '../schemas';

const deps = profileDeps();
const tokens = tokenSettings();
const lockout = loginLockout();

/** POST /api/user/password/change: every earlier token is refused afterwards; the answer is the new session. */
export const handler = apiHandler(changePasswordRequest, async ({ input, caller }) => {
  const session = await changePassword(deps, tokens, lockout, requireCaller(caller), input);
  metrics.addMetric('PasswordChanged', MetricUnit.Count, 1);
  return session;
});
