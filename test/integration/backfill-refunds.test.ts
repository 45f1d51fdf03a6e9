import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PaymentProvider, RefundRequest } from '../../functions/pay/payment-provider';
import { PaymentRepository } from '../../functions/pay/payment-repository';
import { paymentKey } from '../../functions/pay/payment-table';
import { RefundRepository } from '../../functions/pay/refund-repository';
import { relayRefunds } from '../../functions/pay/refund-service';
import { backfillLateRefunds, backfillTable } from '../../infra/admin/backfill-refunds';
import { localTables, tableSpec } from './local-tables';

// The operator's `npm run pay:backfill-refunds` against a real payment table: payments flagged
// refund_needed before markPaid asked for their refund get it asked for, once, and the relay
// refunds them. The bus only records what is published.
const bus = vi.hoisted(() => ({ published: [] as unknown[] }));
vi.mock('../../shared/event-bus', () => ({
  publish: async (_contract: unknown, detail: unknown) => {
    bus.published.push(detail);
  },
}));

const TABLE = 'mall-local-data-PaymentsTable0A1B2C'; // as deployed: found by its name when --table is not given
let tables: Awaited<ReturnType<typeof localTables>>;
let payments: PaymentRepository;
let refunds: RefundRepository;

const awaiting = (id: number, amount: number) =>
  payments.createForOrder({ id, uid: 9, oid: id, amount, source: 0, status: 'awaiting', createdAt: Date.now() });

/** Closed, then paid late before markPaid asked for refunds: flagged, no refund record, no refundRequested. */
async function oldStyleFlagged(id: number, amount: number) {
  await awaiting(id, amount);
  await payments.closeForOrder(id);
  await tables.db.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: paymentKey(id),
      UpdateExpression: 'SET refundNeeded = :yes, latePaidAt = :now',
      ExpressionAttributeValues: { ':yes': true, ':now': Date.now() },
    }),
  );
}

const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', path.join('infra', 'admin', 'backfill-refunds-cli.ts'), ...args], {
    env: { ...process.env, MALL_STAGE: '' },
  });

/** What the relay would pick up (ByOutbox, partition REFUND). */
async function onRefundOutbox() {
  const found: string[] = [];
  for await (const page of refunds.unfinished(Date.now() + 60_000)) found.push(...page.map((r) => r.refundId));
  return found.sort();
}

beforeAll(async () => {
  tables = await localTables(tableSpec(TABLE, [['ByOutbox', 'outboxPk', 'outboxAt']]));
  payments = new PaymentRepository(tables.db, TABLE);
  refunds = new RefundRepository(tables.db, TABLE);
  await oldStyleFlagged(1, 300);
  await awaiting(2, 200); // new style: markPaid asked for its refund itself
  await payments.closeForOrder(2);
  expect(await payments.markPaid(2, 200, 1)).toBe('refund-needed');
  await awaiting(3, 500); // paid normally
  expect(await payments.markPaid(3, 500, 1)).toBe('paid');
  await awaiting(4, 700); // closed, never paid
  await payments.closeForOrder(4);
}, 120_000);

afterAll(() => tables?.stop());

describe('pay:backfill-refunds', () => {
  it('--dry-run lists the old flagged payment and writes nothing', async () => {
    const { stdout } = await cli('--endpoint', tables.endpoint, '--dry-run');
    expect(await refunds.forPayment(1)).toEqual([]);
    expect((await payments.get(1))?.refundRequested).toBeUndefined();
    expect(await onRefundOutbox()).toEqual(['late-pay-2']);
    expect(stdout).toContain('[backfill] would request refund late-pay-1 of 300 cents for payment 1');
    expect(stdout).toMatch(
      /mall-local-data-PaymentsTable0A1B2C \(dry run, nothing written\): scanned \d+ items, found 1 flagged payments without a refund, would request 1, skipped 0, failed 0/,
    );
  });

  it('asks for the whole late-pay refund of exactly the old flagged payment, on the relay outbox', async () => {
    const summary = await backfillLateRefunds({ endpoint: tables.endpoint, table: TABLE });
    expect(summary).toMatchObject({ found: 1, requested: 1, skipped: 0, failed: 0 });
    expect(summary.refunds).toEqual([{ paymentId: 1, refundId: 'late-pay-1', amount: 300 }]);
    expect(await refunds.forPayment(1)).toEqual([
      expect.objectContaining({ refundId: 'late-pay-1', amount: 300, reason: 'LATE_PAYMENT', state: 'pending', oid: 1, uid: 9 }),
    ]);
    expect(await payments.get(1)).toMatchObject({ status: 'closed', refundNeeded: true, refundRequested: 300 });
    expect(await onRefundOutbox()).toEqual(['late-pay-1', 'late-pay-2']);
    // The others are untouched: the new-style one keeps its single refund, the paid and the closed have none.
    expect(await refunds.forPayment(2)).toHaveLength(1);
    expect((await payments.get(2))?.refundRequested).toBe(200);
    expect(await refunds.forPayment(3)).toEqual([]);
    expect(await refunds.forPayment(4)).toEqual([]);
    expect((await payments.get(3))?.refundRequested).toBeUndefined();
    expect((await payments.get(4))?.refundRequested).toBeUndefined();
  });

  it('a second run asks for nothing', async () => {
    const { stdout } = await cli('--endpoint', tables.endpoint, '--table', TABLE);
    expect(stdout).toMatch(/found 0 flagged payments without a refund, requested 0, skipped 0, failed 0/);
    expect(await refunds.forPayment(1)).toHaveLength(1);
    expect((await payments.get(1))?.refundRequested).toBe(300);
  });

  it('a payment whose refund markPaid asks for after the scan saw it is skipped, not asked twice', async () => {
    await oldStyleFlagged(5, 400);
    // The provider's callback repeated while the backfill runs: markPaid asks for late-pay-5 itself right after the scan page.
    let raced = false;
    const db = Object.create(tables.db) as typeof tables.db;
    db.send = (async (command: Parameters<typeof tables.db.send>[0]) => {
      const out = await tables.db.send(command);
      if (command instanceof ScanCommand && !raced) {
        raced = true;
        expect(await payments.markPaid(5, 400, 1)).toBe('refund-needed');
      }
      return out;
    }) as typeof tables.db.send;
    const summary = await backfillTable(db, TABLE);
    expect(raced).toBe(true);
    expect(summary).toMatchObject({ found: 1, requested: 0, skipped: 1, failed: 0, refunds: [] });
    expect(await refunds.forPayment(5)).toEqual([expect.objectContaining({ refundId: 'late-pay-5', amount: 400, state: 'pending' })]);
    expect((await payments.get(5))?.refundRequested).toBe(400);
  });

  it('the relay then refunds it through the provider: succeeded with the reference, the payment refunded', async () => {
    const asked: RefundRequest[] = [];
    const provider: PaymentProvider = {
      refund: async (request) => {
        asked.push(request);
        return { reference: `ref-${request.refundId}` };
      },
    };
    const deps = { refunds, payments, provider, busName: 'bus' };
    const retry = { maxAttempts: 8, baseDelayMs: 60_000, maxDelayMs: 3_600_000 };
    expect(await relayRefunds(deps, 60_000, retry, Date.now() + 120_000)).toMatchObject({ refundsFinished: 3, refundsFailed: 0 });
    expect(asked).toContainEqual({ paymentId: 1, amount: 300, refundId: 'late-pay-1' });
    expect(await refunds.get(1, 'late-pay-1')).toMatchObject({ state: 'succeeded', reference: 'ref-late-pay-1' });
    expect((await payments.get(1))?.refunded).toBe(300);
    expect(bus.published).toContainEqual(
      expect.objectContaining({ refundId: 'late-pay-1', paymentId: 1, amount: 300, refundedTotal: 300 }),
    );
    expect(await onRefundOutbox()).toEqual([]);
    expect(await relayRefunds(deps, 60_000, retry, Date.now() + 180_000)).toMatchObject({ refundsFinished: 0, refundsFailed: 0 });
    expect(asked.filter((r) => r.refundId === 'late-pay-1')).toHaveLength(1);
  });
});
