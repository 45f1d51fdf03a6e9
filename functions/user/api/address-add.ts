import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { addAddressRequest } from '../address-schemas';
import { addAddress } from '../address-service';
import { addressRepository } from '../dependencies';

const repo = addressRepository();

export const handler = apiHandler(addAddressRequest, ({ input, caller }) => addAddress(repo, requireCaller(caller).uid, input));
