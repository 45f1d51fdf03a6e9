import * as z from 'zod';
import { apiHandler } from '../../../shared/handlers/api';
import { banners } from '../content-service';
import { catalog } from '../dependencies';

const repo = catalog();

export const handler = apiHandler(z.object({}), () => banners(repo));
