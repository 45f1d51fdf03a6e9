import { invokeFunction } from '../../shared/invoke';
import type { AddressLookup, ShippingAddress } from './address-schemas';

/** How other services (orders) read a user's address book: its internal address function. */
export interface AddressBookClient {
  /** The user's address `addressId`, or their default without one; null when there is none. */
  address(uid: number, addressId?: number): Promise<ShippingAddress | null>;
}

export function addressBookFunction(functionName: string): AddressBookClient {
  return {
    address: async (uid, addressId) =>
      (await invokeFunction<AddressLookup>(functionName, addressId === undefined ? { uid } : { uid, addressId })).address,
  };
}
