import * as z from 'zod';
import { apiHandler } from '../../../shared/handlers/api';
import { categoryTree } from '../category-service';
import { catalog } from '../dependencies';

const repo = catalog();

export const handler = apiHandler(z.object({}), () => categoryTree(repo));
