import * as z from 'zod';
import { apiHandler } from '../../../shared/handlers/api';
import { flashSale } from '../content-service';
import { catalog } from '../dependencies';

const repo = catalog();

export const handler = apiHandler(z.object({}), () => flashSale(repo));
