import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { profileDeps } from '../dependencies';
import { updateProfile } from '../profile-service';
import { updateProfileRequest } from '../schemas';

const deps = profileDeps();

/** POST /api/user/profile/update: the caller's name, gender or avatar. */
export const handler = apiHandler(updateProfileRequest, ({ input, caller }) => updateProfile(deps, requireCaller(caller), input));
