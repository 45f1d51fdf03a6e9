import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { userStore } from '../dependencies';
import { emptyRequest } from '../schemas';
import { userInfo } from '../user-service';

const users = userStore();

export const handler = apiHandler(emptyRequest, ({ caller }) => userInfo(users, requireCaller(caller)));
