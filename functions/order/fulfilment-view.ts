import type { OrderRecord } from './order-table';
import type { FulfilmentView } from './schemas';

const seconds = (ms: number) => Math.floor(ms / 1000);

/** An order's fulfilment fields on the wire (issue 12), those it has reached; times in Unix seconds. */
export function fulfilmentFieldsOf(o: OrderRecord): FulfilmentView {
  return {
    ...(o.carrier ? { carrier: o.carrier } : {}),
    ...(o.trackingNo ? { tracking_no: o.trackingNo } : {}),
    ...(o.shippedAt ? { shipped_at: seconds(o.shippedAt) } : {}),
    ...(o.receivedAt ? { received_at: seconds(o.receivedAt) } : {}),
    ...(o.receivedBy ? { received_by: o.receivedBy } : {}),
    ...(o.completedAt ? { completed_at: seconds(o.completedAt) } : {}),
  };
}
