import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { listAddressesRequest } from '../address-schemas';
import { listAddresses } from '../address-service';
import { addressRepository } from '../dependencies';

const repo = addressRepository();

export const handler = apiHandler(listAddressesRequest, ({ caller }) => listAddresses(repo, requireCaller(caller).uid));
