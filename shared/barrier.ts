import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { failedCondition } from './conditions';
import { RETRY, retry } from './retry';

/**
 * DTM's sub-transaction barrier on DynamoDB. Every saga step and compensation writes a barrier
 * item `BARRIER#<gid>#<branch>` / `<op>` in the same transaction as its business change, in the
 * participant's own table. Hence:
 *   - a repeated delivery finds its barrier and changes nothing (idempotent);
 *   - a compensation whose action never ran inserts the action's barrier itself and does nothing
 *     else (empty compensation), and that barrier blocks the action if it arrives late (no hanging).
 */

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export type ActionResult<T> =
  /** The business change was made now, or by an earlier delivery of the same step. */
  | { status: 'done'; data: T }
  /** The compensation ran first: this late action must do nothing. */
  | { status: 'blocked' }
  /** A business condition failed: item `failedItem` of the business items (0-based). */
  | { status: 'refused'; failedItem: number };

export type CompensationResult = 'compensated' | 'empty' | 'already-done';

const barrierKey = (gid: string, branch: string, op: string) => ({ pk: `BARRIER#${gid}#${branch}`, sk: op });

/** Barriers are kept 30 days (TTL attribute `expiresAt`), far longer than any saga retries. */
const KEEP_SECONDS = 30 * 24 * 3600;
const stamp = () => ({ at: Date.now(), expiresAt: Math.floor(Date.now() / 1000) + KEEP_SECONDS });

/** A barrier item to put, on condition that it is new. */
function newBarrier(table: string, gid: string, branch: string, op: string, extra: Record<string, unknown> = {}): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: { ...barrierKey(gid, branch, op), ...extra, ...stamp() },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export class Barrier {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Runs an action once: `items` (the business change) together with the action's barrier,
   * which keeps `data` for repeated deliveries and for the compensation (e.g. which stock
   * shards were taken).
   */
  async action<T extends Record<string, unknown>>(gid: string, branch: string, data: T, items: TransactItem[]): Promise<ActionResult<T>> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [newBarrier(this.table, gid, branch, 'action', { origin: 'action', data }), ...items],
        }),
      );
      return { status: 'done', data };
    } catch (error) {
      const failed = failedCondition(error);
      if (failed === 0) {
        const existing = await this.read(gid, branch, 'action');
        if (!existing) throw error; // vanished meanwhile: let the caller's retry decide
        return existing.origin === 'action' ? { status: 'done', data: existing.data as T } : { status: 'blocked' };
      }
      if (failed > 0) return { status: 'refused', failedItem: failed - 1 };
      throw error; // a conflict with another transaction, a throttle...: transient, retried by the saga
    }
  }

  /**
   * Runs a compensation once. `undo` gets the action's barrier data and returns the items that
   * reverse it; it is only called if the action really ran. It may return none, when what the
   * action changed is gone (then only the compensation's barrier is written).
   */
  async compensate<T>(
    gid: string,
    branch: string,
    undo: (actionData: T) => TransactItem[] | Promise<TransactItem[]>,
  ): Promise<CompensationResult> {
    // Each pass ends, or lost a race to a concurrent barrier write that the next pass will see.
    const policy = { attempts: 5, baseDelayMs: 10, exhausted: () => new Error(`compensation of ${gid}/${branch} kept racing its action`) };
    return retry(policy, async (): Promise<CompensationResult | typeof RETRY> => {
      const action = await this.read(gid, branch, 'action');
      const compensation = newBarrier(this.table, gid, branch, 'compensate');
      if (!action) {
        // The action never ran: record it as done-by-compensation so it is blocked if it comes late.
        const blocked = await this.write([newBarrier(this.table, gid, branch, 'action', { origin: 'compensation' }), compensation]);
        return blocked === 'ok' ? 'empty' : RETRY; // the action (or another compensation) got there first: look again
      }
      if (action.origin === 'compensation') return 'already-done';
      const undone = await this.write([compensation, ...(await undo(action.data as T))]);
      if (undone === 'ok') return 'compensated';
      if (undone.failedItem === 0) return 'already-done';
      throw new Error(`compensation of ${gid}/${branch} was refused by item ${undone.failedItem}`);
    });
  }

  /**
   * Runs another operation of a branch once (CancelOrder's, inventory's confirm): `items`
   * together with the operation's barrier. 'already-done' if it ran before; 'refused' if a
   * condition of `items` failed (nothing was written).
   */
  async once(gid: string, branch: string, op: string, items: TransactItem[]): Promise<'done' | 'already-done' | 'refused'> {
    const written = await this.write([newBarrier(this.table, gid, branch, op), ...items]);
    if (written === 'ok') return 'done';
    return written.failedItem === 0 ? 'already-done' : 'refused';
  }

  /**
   * A transaction item that holds only while the branch was not compensated: an operation that
   * must not follow the compensation (inventory's confirm after the stock was released) adds it.
   */
  notCompensated(gid: string, branch: string): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.table,
        Key: barrierKey(gid, branch, 'compensate'),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** Whether another operation of the branch (written with `once`, e.g. inventory's confirm) has run. */
  async ran(gid: string, branch: string, op: string): Promise<boolean> {
    return (await this.read(gid, branch, op)) !== undefined;
  }

  /**
   * A transaction item that holds only while the operation's barrier is (`present`) or is not
   * there: a compensation that read whether it ran (`ran`) writes on that condition, so an
   * operation arriving between the read and the write fails one of the two, never neither.
   */
  ranCheck(gid: string, branch: string, op: string, present: boolean): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.table,
        Key: barrierKey(gid, branch, op),
        ConditionExpression: present ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
      },
    };
  }

  /** What the branch's action stored, if the action ran (not if a compensation blocked it). */
  async actionData<T>(gid: string, branch: string): Promise<T | undefined> {
    const action = await this.read(gid, branch, 'action');
    return action?.origin === 'action' ? (action.data as T) : undefined;
  }

  private async read(gid: string, branch: string, op: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: barrierKey(gid, branch, op), ConsistentRead: true }));
    return out.Item as { origin: 'action' | 'compensation'; data?: unknown } | undefined;
  }

  private async write(items: TransactItem[]): Promise<'ok' | { failedItem: number }> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'ok';
    } catch (error) {
      const failedItem = failedCondition(error);
      if (failedItem < 0) throw error;
      return { failedItem };
    }
  }
}
