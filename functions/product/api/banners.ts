import { z } from 'zod';
import { apiHandler } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { banners } from '../product-service';

const repo = catalog();

export const handler = apiHandler(z.object({}), () => banners(repo));
