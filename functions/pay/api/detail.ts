import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { paymentRepository, refundRepository } from '../dependencies';
import { paymentDetail } from '../pay-service';
import { detailRequest } from '../schemas';

const repo = paymentRepository();
const refunds = refundRepository();

export const handler = apiHandler(detailRequest, ({ input, caller }) => paymentDetail(repo, refunds, requireCaller(caller), input.id));
