import { apiHandler } from '../../../shared/handlers/api';
import { saveBanner } from '../content-service';
import { catalog } from '../dependencies';
import { saveBannerRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(saveBannerRequest, ({ input }) => saveBanner(repo, input));
