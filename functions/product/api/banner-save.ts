import { apiHandler } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { saveBanner } from '../product-service';
import { saveBannerRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(saveBannerRequest, ({ input }) => saveBanner(repo, input));
