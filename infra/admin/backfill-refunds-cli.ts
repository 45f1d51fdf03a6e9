import { parseArgs } from 'node:util';
import { backfillLateRefunds } from './backfill-refunds';

/**
 * `npm run pay:backfill-refunds -- [--endpoint <url>] [--table <payment table>] [--dry-run]`
 * Asks for the late-payment refund of every payment flagged refund_needed before markPaid did it
 * itself (backfill-refunds.ts), with your AWS credentials; the payment relay refunds them on its
 * next run. Safe to run again. Exit 1 if some could not be asked for (run it again).
 */
const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    endpoint: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const dryRun = values['dry-run'];
try {
  const summary = await backfillLateRefunds({ endpoint: values.endpoint, table: values.table }, { dryRun });
  for (const { paymentId, refundId, amount } of summary.refunds) {
    console.log(`[backfill] ${dryRun ? 'would request' : 'requested'} refund ${refundId} of ${amount} cents for payment ${paymentId}`);
  }
  const asked = dryRun ? `would request ${summary.refunds.length}` : `requested ${summary.requested}`;
  console.log(
    `[backfill] ${summary.table}${dryRun ? ' (dry run, nothing written)' : ''}: scanned ${summary.scanned} items, found ${summary.found} flagged payments without a refund, ${asked}, skipped ${summary.skipped}, failed ${summary.failed}`,
  );
  if (!dryRun && summary.requested > 0) console.log('[backfill] the payment relay refunds them on its next run (every minute)');
  if (summary.failed > 0) {
    console.error('[backfill] some payments were being written at the same moment: run it again');
    process.exit(1);
  }
} catch (error) {
  console.error(`[backfill] failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
