import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * Whether DynamoDB refused a write because its condition did not hold: a single write's
 * ConditionalCheckFailedException, or a transaction cancelled by the condition of the item at
 * `index` (of any item, when no index is given).
 */
export function conditionFailed(error: unknown, index?: number): boolean {
  if (error instanceof TransactionCanceledException) {
    return index === undefined ? failedCondition(error) >= 0 : error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed';
  }
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

/** The index of the first transaction item whose condition failed; -1 for none, or for any other error. */
export function failedCondition(error: unknown): number {
  if (!(error instanceof TransactionCanceledException)) return -1;
  return (error.CancellationReasons ?? []).findIndex((r) => r.Code === 'ConditionalCheckFailed');
}

/** Whether a transaction was cancelled because another write was on one of its items at that moment: worth retrying. */
export function transactionConflict(error: unknown): boolean {
  return error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
}
