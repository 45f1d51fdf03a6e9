import { conflict, notFound } from '../../shared/errors';
import type { AddressBook, AddressRepository } from './address-repository';
import {
  type AddAddressRequest,
  type AddressLookup,
  type AddressRecord,
  type AddressView,
  MAX_ADDRESSES,
  type ShippingAddress,
  type UpdateAddressRequest,
} from './address-schemas';

// The caller's address book. Every route works on the caller's own book only: another user's
// address id is simply not in it (404 ADDRESS_NOT_FOUND, as if it did not exist).

const addressNotFound = () => notFound('ADDRESS_NOT_FOUND', 'address not found');
const seconds = (ms: number) => Math.floor(ms / 1000);

export const toShippingAddress = ({ id, name, phone, province, city, district, detail }: AddressRecord): ShippingAddress => ({
  id,
  name,
  phone,
  province,
  city,
  district,
  detail,
});

export function toAddressView(a: AddressRecord, book: Pick<AddressBook, 'defaultId'>): AddressView {
  return {
    ...toShippingAddress(a),
    is_default: a.id === book.defaultId,
    create_time: seconds(a.createdAt),
    update_time: seconds(a.updatedAt),
  };
}

/** The book as listed: the default first, then the newest first. */
export function listView(book: AddressBook): { addresses: AddressView[] } {
  const ordered = [...book.addresses].sort((a, b) => Number(b.id === book.defaultId) - Number(a.id === book.defaultId));
  return { addresses: ordered.map((a) => toAddressView(a, book)) };
}

/** Which address becomes the default when `removed` goes: the default stays, unless it is the one removed; then the newest remaining. */
export function nextDefaultAfterRemoving(book: AddressBook, removed: number): number | undefined {
  if (book.defaultId !== removed) return book.defaultId;
  return book.addresses.filter((a) => a.id !== removed).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)[0]?.id;
}

function viewOf(book: AddressBook | undefined, id: number): AddressView {
  const address = book?.addresses.find((a) => a.id === id);
  if (!book || !address) throw addressNotFound();
  return toAddressView(address, book);
}

export async function listAddresses(repo: AddressRepository, uid: number) {
  return listView(await repo.get(uid));
}

export async function addAddress(repo: AddressRepository, uid: number, input: AddAddressRequest, now = Date.now()): Promise<AddressView> {
  const { is_default: makeDefault = false, ...fields } = input;
  const address: AddressRecord = { id: await repo.nextId(), ...fields, createdAt: now, updatedAt: now };
  if (!(await repo.add(uid, address, MAX_ADDRESSES, makeDefault))) {
    throw conflict('ADDRESS_BOOK_FULL', `an address book holds at most ${MAX_ADDRESSES} addresses; remove one first`);
  }
  return viewOf(await repo.get(uid), address.id);
}

export async function updateAddress(repo: AddressRepository, uid: number, input: UpdateAddressRequest, now = Date.now()) {
  const { id, ...changes } = input;
  return viewOf(await repo.update(uid, id, changes, now), id);
}

export async function setDefaultAddress(repo: AddressRepository, uid: number, id: number) {
  return viewOf(await repo.setDefault(uid, id), id);
}

/**
 * Removes an address; when it was the default, the newest remaining one becomes the default.
 * A write that met another change of the book (a concurrent set-default, remove or first add)
 * reads the book again and decides again.
 */
export async function removeAddress(repo: AddressRepository, uid: number, id: number): Promise<Record<string, never>> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const book = await repo.get(uid);
    const outcome = await repo.remove(uid, id, book, nextDefaultAfterRemoving(book, id));
    if (outcome === 'not-found') throw addressNotFound();
    if (outcome === 'removed') return {};
  }
  throw conflict('CONCURRENT_UPDATE', 'the address book kept changing; try again', 1);
}

/** For the order service: the user's address `addressId`, or their default without one; null if there is none. */
export async function lookupAddress(repo: AddressRepository, uid: number, addressId?: number): Promise<AddressLookup> {
  const book = await repo.get(uid);
  const wanted = addressId ?? book.defaultId;
  const address = book.addresses.find((a) => a.id === wanted);
  return { address: address ? toShippingAddress(address) : null };
}
