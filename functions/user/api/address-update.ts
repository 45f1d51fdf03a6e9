import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { updateAddressRequest } from '../address-schemas';
import { updateAddress } from '../address-service';
import { addressRepository } from '../dependencies';

const repo = addressRepository();

export const handler = apiHandler(updateAddressRequest, ({ input, caller }) => updateAddress(repo, requireCaller(caller).uid, input));
