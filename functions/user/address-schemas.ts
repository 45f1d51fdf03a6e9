import * as z from 'zod';
import { mobile } from './schemas';

// The address book (lebron's shipping address: seed 002's `shopping` table has receiver name,
// mobile, province, city, district and the detail line). Unknown fields are refused.

/** At most this many addresses per user (409 ADDRESS_BOOK_FULL for the next). */
export const MAX_ADDRESSES = 20;

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const line = (max: number) => z.string().trim().min(1).max(max);

const fields = {
  /** Who receives the parcel. */
  name: line(64),
  /** The mobile rule of register: 6 to 20 digits, optionally starting with +. */
  phone: mobile,
  province: line(64),
  city: line(64),
  district: line(64),
  /** Street, building, door. */
  detail: line(200),
};

/** POST /api/user/address/add: the first address a user adds is their default; `is_default: true` makes a later one so. */
export const addAddressRequest = z.strictObject({ ...fields, is_default: z.boolean().optional() });
export type AddAddressRequest = z.infer<typeof addAddressRequest>;

/** POST /api/user/address/update: the address's id and any of its fields; the others keep their value. */
export const updateAddressRequest = z
  .strictObject({ id, ...z.object(fields).partial().shape })
  .refine((o) => Object.keys(fields).some((f) => o[f as keyof typeof fields] !== undefined), {
    message: 'give at least one of name, phone, province, city, district, detail',
    path: ['id'],
  });
export type UpdateAddressRequest = z.infer<typeof updateAddressRequest>;
export type AddressChanges = Omit<UpdateAddressRequest, 'id'>;

/** POST /api/user/address/remove and /set-default. */
export const addressIdRequest = z.strictObject({ id });

/** GET /api/user/address/list takes no query; anything sent is ignored. */
export const listAddressesRequest = z.object({});

/** An address as stored in the book. */
export const addressRecord = z.object({
  id: z.number(),
  ...z.object(fields).shape,
  /** Unix milliseconds. */
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type AddressRecord = z.infer<typeof addressRecord>;

// Replies (the 200 bodies): exactly these fields.

const str = z.string();
const int = z.number().int();

/** The copy an order keeps (functions/order: `address` on detail): the address as it was when ordered. */
export const shippingAddress = z.strictObject({ id, name: str, phone: str, province: str, city: str, district: str, detail: str });
export type ShippingAddress = z.infer<typeof shippingAddress>;

export const addressResponse = z.strictObject({
  ...shippingAddress.shape,
  is_default: z.boolean(),
  /** Unix seconds. */
  create_time: int,
  update_time: int,
});
export type AddressView = z.infer<typeof addressResponse>;

/** The default first, then the newest first. */
export const addressListResponse = z.strictObject({ addresses: z.array(addressResponse) });

/** The internal function's input (the order service): the user's address `address_id`, or their default without it. */
export const addressLookupRequest = z.strictObject({ uid: id, addressId: id.optional() });
/** Its answer: null when the user has no such address (or no address at all). */
export const addressLookupResponse = z.strictObject({ address: shippingAddress.nullable() });
export type AddressLookup = z.infer<typeof addressLookupResponse>;
