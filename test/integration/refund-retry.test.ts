import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PaymentProvider } from '../../functions/pay/payment-provider';
import { PaymentRepository } from '../../functions/pay/payment-repository';
import { RefundRepository } from '../../functions/pay/refund-repository';
import { flaggedRefunds, type RefundRetry, relayRefunds, requeueRefund } from '../../functions/pay/refund-service';
import { metrics } from '../../shared/powertools';
import { localTables, tableSpec } from './local-tables';

// The refund relay against a real payment table, with a provider that refuses one refund every
// time: the refund backs off, is flagged after the bound and leaves the others to be done; every
// run reports the age of the oldest unfinished refund. The bus only records what is published.
const bus = vi.hoisted(() => ({ published: [] as Array<{ refundId: string }> }));
vi.mock('../../shared/event-bus', () => ({
  publish: async (_contract: unknown, detail: { refundId: string }) => {
    bus.published.push(detail);
  },
}));

const MINUTE = 60_000;
const retry: RefundRetry = { maxAttempts: 3, baseDelayMs: MINUTE, maxDelayMs: 60 * MINUTE };
const failing = new Set(['bad']);
const asked: string[] = [];
const provider: PaymentProvider = {
  refund: async ({ refundId }) => {
    asked.push(refundId);
    if (failing.has(refundId)) throw new Error('the provider refused the refund');
    return { reference: `ref-${refundId}` };
  },
};

let tables: Awaited<ReturnType<typeof localTables>>;
let payments: PaymentRepository;
let refunds: RefundRepository;
let deps: { refunds: RefundRepository; payments: PaymentRepository; provider: PaymentProvider; busName: string };
/** When the oldest refund was asked for: the runs' times count from it. */
let start: number;

async function askRefund(paymentId: number, refundId: string) {
  await payments.createForOrder({
    id: paymentId,
    uid: 1,
    oid: paymentId,
    amount: 100,
    source: 0,
    status: 'awaiting',
    createdAt: Date.now(),
  });
  await payments.markPaid(paymentId, 100, 1);
  const payment = (await payments.get(paymentId))!;
  expect(await refunds.request(payment, { refundId, amount: 100, reason: 'TEST' }, 'paid')).toBe('requested');
}

/** A relay run `minutes` after the start, with the metrics it emitted. */
async function relayAt(minutes: number) {
  const emitted = vi.spyOn(metrics, 'addMetric');
  asked.length = 0;
  try {
    const result = await relayRefunds(deps, MINUTE, retry, start + minutes * MINUTE);
    return { result, metrics: emitted.mock.calls.map(([name, , value]) => [name, value]), asked: [...asked] };
  } finally {
    emitted.mockRestore();
  }
}

beforeAll(async () => {
  tables = await localTables(tableSpec('Payments', [['ByOutbox', 'outboxPk', 'outboxAt']]));
  payments = new PaymentRepository(tables.db, 'Payments');
  refunds = new RefundRepository(tables.db, 'Payments');
  deps = { refunds, payments, provider, busName: 'bus' };
  await askRefund(1, 'bad'); // the oldest: at the head of every run
  start = (await refunds.get(1, 'bad'))!.createdAt;
  await askRefund(2, 'good-1');
}, 120_000);

afterAll(() => tables?.stop());

describe('a refund the provider keeps refusing', () => {
  it('backs off, is flagged after the bound, and the refunds behind it are done; the oldest one is measured every run', async () => {
    let run = await relayAt(2);
    expect(run.result).toMatchObject({ refundsFinished: 1, refundsFailed: 1, refundsFlagged: 0, oldestRefundAgeSeconds: 120 });
    expect(run.metrics).toContainEqual(['OldestPendingRefundAgeSeconds', 120]);
    expect(run.asked).toEqual(['bad', 'good-1']);
    expect(await refunds.get(1, 'bad')).toMatchObject({ state: 'pending', attempts: 1, nextTryAt: start + 3 * MINUTE });
    expect(await refunds.get(2, 'good-1')).toMatchObject({ state: 'succeeded', reference: 'ref-good-1' });

    await askRefund(3, 'good-2');
    // Not yet due: skipped, and the one behind it is done.
    run = await relayAt(2.5);
    expect(run.asked).toEqual(['good-2']);
    expect(run.result).toMatchObject({ refundsFinished: 1, refundsFailed: 0 });

    run = await relayAt(3); // the second failure: 2 minutes to wait
    expect(run.asked).toEqual(['bad']);
    expect(await refunds.get(1, 'bad')).toMatchObject({ attempts: 2, nextTryAt: start + 5 * MINUTE });
    expect((await relayAt(4)).asked).toEqual([]);

    run = await relayAt(5); // the third: the bound
    expect(run.result).toMatchObject({ refundsFailed: 1, refundsFlagged: 1 });
    expect(run.metrics).toContainEqual(['RefundFlagged', 1]);
    expect(await refunds.get(1, 'bad')).toMatchObject({
      state: 'pending',
      attempts: 3,
      flaggedAt: start + 5 * MINUTE,
      lastError: expect.stringContaining('the provider refused the refund'),
    });
    expect((await payments.get(1))?.refunded).toBeUndefined();

    // Flagged: no longer tried, long after any backoff, yet still owed and still measured.
    await askRefund(4, 'good-3');
    run = await relayAt(600);
    expect(run.asked).toEqual(['good-3']);
    expect(run.result).toMatchObject({ refundsFinished: 1, refundsFailed: 0, oldestRefundAgeSeconds: 600 * 60 });
    expect(run.metrics).toContainEqual(['OldestPendingRefundAgeSeconds', 600 * 60]);
    expect(bus.published.map((e) => e.refundId).sort()).toEqual(['good-1', 'good-2', 'good-3']);

    expect((await flaggedRefunds(refunds)).refunds).toEqual([
      expect.objectContaining({ payment_id: 1, refund_id: 'bad', amount: 100, state: 'pending', attempts: 3 }),
    ]);
  });

  it('an operator re-queues it once the cause is fixed: the next run refunds it, and nothing is left to measure', async () => {
    await expect(requeueRefund(refunds, 2, 'good-1')).rejects.toMatchObject({ status: 409, code: 'REFUND_NOT_FLAGGED' });
    await expect(requeueRefund(refunds, 9, 'nope')).rejects.toMatchObject({ status: 404, code: 'REFUND_NOT_FOUND' });
    failing.clear();
    expect(await requeueRefund(refunds, 1, 'bad')).toEqual({ payment_id: 1, refund_id: 'bad', state: 'requeued' });
    expect((await flaggedRefunds(refunds)).refunds).toEqual([]);
    const run = await relayAt(601);
    expect(run.asked).toEqual(['bad']);
    expect(await refunds.get(1, 'bad')).toMatchObject({ state: 'succeeded', reference: 'ref-bad' });
    expect((await relayAt(602)).metrics).toContainEqual(['OldestPendingRefundAgeSeconds', 0]);
  });
});
