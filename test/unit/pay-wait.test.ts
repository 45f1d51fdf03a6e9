import { describe, expect, it } from 'vitest';
import type { OrderLookup, OrderSummary } from '../../functions/order/client';
import { STATUS } from '../../functions/order/schemas';
import { createPayment } from '../../functions/pay/pay-service';
import type { PaymentRecord, PaymentRepository } from '../../functions/pay/payment-repository';
import { PAY_STATUS } from '../../functions/pay/schemas';
import { stageConfig } from '../../infra/config';
import type { Caller } from '../../shared/caller';
import { AppError } from '../../shared/errors';

const caller: Caller = { uid: 7, role: 'user', name: 'Payer', jti: 'j', exp: 0 } as Caller;

/** The order service's answers, one per read: pending `pendingReads` times, then awaiting payment. */
function ordersPlacedAfter(pendingReads: number) {
  const reads: number[] = [];
  const lookup: OrderLookup = {
    async get(id) {
      reads.push(Date.now());
      const state = reads.length > pendingReads ? 'awaiting_payment' : 'pending';
      return { id, uid: 7, amount: 5, state } satisfies OrderSummary;
    },
  };
  return { lookup, reads };
}

function payments(): PaymentRepository {
  const byOrder = new Map<number, PaymentRecord>();
  return {
    forOrder: async (oid: number) => byOrder.get(oid),
    createForOrder: async (p: PaymentRecord) => {
      byOrder.set(p.oid, p);
      return p;
    },
  } as unknown as PaymentRepository;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('pay/create right after order/create', () => {
  it('waits for an order still being placed, then answers its payment', async () => {
    const { lookup, reads } = ordersPlacedAfter(3);
    expect(await createPayment(payments(), lookup, caller, { oid: 1, amount: 5 }, 2000)).toEqual({ id: 1 });
    expect(reads.length).toBe(4);
  });

  it('gives up after the wait with 409 ORDER_PENDING and Retry-After, never later than the bound', async () => {
    const { lookup, reads } = ordersPlacedAfter(Infinity);
    const started = Date.now();
    const error = await refusal(createPayment(payments(), lookup, caller, { oid: 1, amount: 5 }, 300));
    expect([error.status, error.code, error.retryAfter]).toEqual([409, 'ORDER_PENDING', 1]);
    expect(Date.now() - started).toBeLessThan(600);
    expect(reads.length).toBeGreaterThan(2); // polled, not slept once
  });

  it('with no wait (0) answers ORDER_PENDING at once; a wrong amount is refused without waiting', async () => {
    const started = Date.now();
    const now = await refusal(createPayment(payments(), ordersPlacedAfter(Infinity).lookup, caller, { oid: 1, amount: 5 }, 0));
    expect([now.code, now.retryAfter]).toEqual(['ORDER_PENDING', 1]);
    expect(Date.now() - started).toBeLessThan(100);
    const { lookup, reads } = ordersPlacedAfter(Infinity);
    expect((await refusal(createPayment(payments(), lookup, caller, { oid: 1, amount: 100 }, 2000))).code).toBe('AMOUNT_MISMATCH');
    expect(reads.length).toBe(1);
  });
});

describe("the waits' settings (pay/create's and order/create's)", () => {
  it.each([
    ['MALL_PAY_ORDER_WAIT_MS', 'payOrderWaitMs'],
    ['MALL_ORDER_CREATE_WAIT_MS', 'orderCreateWaitMs'],
  ] as const)('%s: 2 s by default, and well under the function timeout', (name, field) => {
    expect(stageConfig('dev', {})[field]).toBe(2000);
    expect(stageConfig('dev', { [name]: '0' })[field]).toBe(0);
    expect(stageConfig('dev', { [name]: '500' })[field]).toBe(500);
    for (const bad of ['9000', '-1', '1.5', 'soon']) expect(() => stageConfig('dev', { [name]: bad })).toThrow(new RegExp(name));
  });
});

describe("go-zero-mall's status numbers", () => {
  it('orders: 0 placed and unpaid, 1 paid, 9 cancelled or invalid', () => {
    // Past payment, lebron's numbers (seed 002), none of them one of go-zero-mall's (issue 12).
    expect(STATUS).toEqual({
      pending: 0,
      awaiting_payment: 0,
      paid: 1,
      cancelling: 9,
      cancelled: 9,
      shipped: 40,
      received: 50,
      completed: 50,
      after_sale: 50,
    });
  });
  it("payments: 0 awaiting, 1 paid (the callback's paid), 2 paid but to be refunded, 3 refunded, 9 closed", () => {
    expect(PAY_STATUS).toEqual({ awaiting: 0, paid: 1, refund_needed: 2, refunded: 3, closed: 9 });
  });
});
