import { apiHandler } from '../../shared/http';
import { adminMobiles, tokenSettings, userStore } from './dependencies';
import { loginRequest } from './schemas';
import { login } from './user-service';

const users = userStore();
const tokens = tokenSettings();
const admins = adminMobiles();

export const handler = apiHandler(loginRequest, ({ input }) => login(users, tokens, admins, input));
