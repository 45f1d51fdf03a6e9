import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { paymentRepository } from '../dependencies';
import { paymentDetail } from '../pay-service';
import { detailRequest } from '../schemas';

const repo = paymentRepository();

export const handler = apiHandler(detailRequest, ({ input, caller }) => paymentDetail(repo, requireCaller(caller), input.id));
