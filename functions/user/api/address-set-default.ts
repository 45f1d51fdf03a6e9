import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { addressIdRequest } from '../address-schemas';
import { setDefaultAddress } from '../address-service';
import { addressRepository } from '../dependencies';

const repo = addressRepository();

export const handler = apiHandler(addressIdRequest, ({ input, caller }) => setDefaultAddress(repo, requireCaller(caller).uid, input.id));
