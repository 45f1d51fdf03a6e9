import { apiHandler } from '../../shared/http';
import { userStore } from './dependencies';
import { registerRequest } from './schemas';
import { register } from './user-service';

const users = userStore();

export const handler = apiHandler(registerRequest, ({ input }) => register(users, input));
