import { internalHandler } from '../../../shared/handlers/internal';
import { addressLookupRequest } from '../address-schemas';
import { lookupAddress } from '../address-service';
import { addressRepository } from '../dependencies';

const repo = addressRepository();

/**
 * Internal, not an API route: the order service invokes it with `{ uid, addressId? }` to copy
 * that user's address (their default without an id) into a new order, without touching the
 * user table. `{ address: null }` when the user has no such address.
 */
export const handler = internalHandler(addressLookupRequest, ({ uid, addressId }) => lookupAddress(repo, uid, addressId));
