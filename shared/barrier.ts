import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { failedCondition } from './conditions';
import { RETRY, retry } from './retry';

/**
 * DTM's sub-transaction barrier on DynamoDB. Every saga step writes a barrier item
 * `BARRIER#<gid>#<branch>` / `action` in the same transaction as its business change, in the
 * participant's own table; its compensation marks that same item (`compensatedAt`) in the
 * transaction that undoes the change. Hence:
 *   - a repeated delivery finds its barrier (or its mark) and changes nothing (idempotent);
 *   - a compensation whose action never ran inserts the action's barrier itself, already marked,
 *     and does nothing else (empty compensation), and that barrier blocks the action if it
 *     arrives late (no hanging).
 * One item per branch, not one per operation: a transaction item costs two write units.
 *
 * How long a barrier is kept: an action's barrier is what its compensation reads (which stock
 * shards were taken, which payment was made), and a buyer may cancel a paid order, or an admin
 * approve a return, at any age. So an action barrier has no TTL while its compensation may still
 * come: it gets one (KEEP_SECONDS) only when it is compensated, the branch then being final. A
 * barrier that only makes a step idempotent (an action nothing compensates, a compensation's
 * own, CancelOrder's) expires KEEP_SECONDS after it was written, far longer than any saga retries.
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

/** How long a final barrier is kept (TTL attribute `expiresAt`): 30 days, far longer than any saga retries. */
const KEEP_SECONDS = 30 * 24 * 3600;
const expiry = () => Math.floor(Date.now() / 1000) + KEEP_SECONDS;

/**
 * Whether an action's barrier waits for a compensation (`until-compensated`: no TTL until then)
 * or only makes the step idempotent (`for-retries`: nothing compensates it).
 */
export type BarrierLifetime = 'until-compensated' | 'for-retries';

/** A barrier item to put, on condition that it is new; `expires` gives it its TTL. */
function newBarrier(
  table: string,
  gid: string,
  branch: string,
  op: string,
  extra: Record<string, unknown>,
  expires: boolean,
): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: { ...barrierKey(gid, branch, op), ...extra, at: Date.now(), ...(expires ? { expiresAt: expiry() } : {}) },
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
  async action<T extends Record<string, unknown>>(
    gid: string,
    branch: string,
    data: T,
    items: TransactItem[],
    lifetime: BarrierLifetime = 'until-compensated',
  ): Promise<ActionResult<T>> {
    try {
      const barrier = newBarrier(this.table, gid, branch, 'action', { origin: 'action', data }, lifetime === 'for-retries');
      await this.db.send(new TransactWriteCommand({ TransactItems: [barrier, ...items] }));
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
   * action changed is gone (then only the compensation's mark is written). `followedUp(op)` says
   * whether a follow-up (inventory's confirm) had run when the barrier was read; the
   * compensation holds only if none ran since, so it can undo the follow-up too, exactly when it ran.
   *
   * `withoutBarrier` is for a branch whose action may have run although its barrier is not there
   * (it predates the barriers' lifetime rule, or was deleted by hand): it looks at the business
   * records and returns the items that undo what they show was done, written with the
   * compensation's barrier (then 'compensated'), or none (then 'empty'); it throws when the
   * records show the action ran but not what to undo, so the compensation fails loudly (retried,
   * alarmed, the order listed as stuck) instead of succeeding empty.
   */
  async compensate<T>(
    gid: string,
    branch: string,
    undo: (actionData: T, followedUp: (op: string) => boolean) => TransactItem[] | Promise<TransactItem[]>,
    withoutBarrier: () => TransactItem[] | Promise<TransactItem[]> = () => [],
  ): Promise<CompensationResult> {
    // Each pass ends, or lost a race to a concurrent barrier write that the next pass will see.
    const policy = { attempts: 5, baseDelayMs: 10, exhausted: () => new Error(`compensation of ${gid}/${branch} kept racing its action`) };
    return retry(policy, async (): Promise<CompensationResult | typeof RETRY> => {
      const action = await this.read(gid, branch, 'action');
      if (!action) {
        // Record the action as done-by-compensation so it is blocked if it comes late.
        const fromRecords = await withoutBarrier();
        const barrier = newBarrier(this.table, gid, branch, 'action', { origin: 'compensation', compensatedAt: Date.now() }, true);
        const blocked = await this.write([barrier, ...fromRecords]);
        if (blocked === 'ok') return fromRecords.length ? 'compensated' : 'empty';
        if (blocked.failedItem === 0) return RETRY; // the action (or another compensation) got there first: look again
        throw new Error(`compensation of ${gid}/${branch} from its business records was refused by item ${blocked.failedItem}`);
      }
      if (action.origin === 'compensation' || action.compensatedAt !== undefined) return 'already-done';
      const followedUp = (op: string) => action[`${op}At`] !== undefined;
      const mark = this.mark(gid, branch, 'compensatedAt', { followUpsSeen: Number(action.followUps ?? 0) });
      const undone = await this.write([mark, ...(await undo(action.data as T, followedUp))]);
      if (undone === 'ok') return 'compensated';
      if (undone.failedItem === 0) return RETRY; // compensated by another delivery, or followed up since: look again
      throw new Error(`compensation of ${gid}/${branch} was refused by item ${undone.failedItem}`);
    });
  }

  /**
   * Runs an operation of a branch that has no action once (CancelOrder's): `items` together
   * with the operation's barrier. 'already-done' if it ran before; 'refused' if a condition of
   * `items` failed (nothing was written).
   */
  async once(gid: string, branch: string, op: string, items: TransactItem[]): Promise<'done' | 'already-done' | 'refused'> {
    const written = await this.write([newBarrier(this.table, gid, branch, op, {}, true), ...items]);
    if (written === 'ok') return 'done';
    return written.failedItem === 0 ? 'already-done' : 'refused';
  }

  /**
   * Runs a follow-up of the branch's action once (inventory's confirm), marked `<op>At` on the
   * action's barrier, and only while the action stands: it ran and was not compensated.
   * 'already-done' if it ran before; 'not-standing' if the action never ran, was blocked or was
   * compensated (nothing was written); 'refused' if a condition of `items` failed.
   */
  async followUp(
    gid: string,
    branch: string,
    op: string,
    items: TransactItem[],
  ): Promise<'done' | 'already-done' | 'not-standing' | 'refused'> {
    const written = await this.write([this.mark(gid, branch, `${op}At`), ...items]);
    if (written === 'ok') return 'done';
    if (written.failedItem > 0) return 'refused';
    const action = await this.read(gid, branch, 'action');
    return action?.[`${op}At`] !== undefined && action.compensatedAt === undefined ? 'already-done' : 'not-standing';
  }

  /** What the branch's action stored, if the action ran (not if a compensation blocked it). */
  async actionData<T>(gid: string, branch: string): Promise<T | undefined> {
    const action = await this.read(gid, branch, 'action');
    return action?.origin === 'action' ? (action.data as T) : undefined;
  }

  /**
   * Sets `<attribute>` on the branch's action barrier, on condition that the action ran and
   * stands, and that it is not set yet. A follow-up's mark counts itself in `followUps`; the
   * compensation's holds only while that count is still `followUpsSeen`.
   */
  private mark(gid: string, branch: string, attribute: string, compensation?: { followUpsSeen: number }): TransactItem {
    const stands = 'origin = :action AND attribute_not_exists(compensatedAt) AND attribute_not_exists(#mark)';
    return {
      Update: {
        TableName: this.table,
        Key: barrierKey(gid, branch, 'action'),
        // Compensated, the branch is final: from now on its barrier only blocks late deliveries.
        UpdateExpression: compensation ? 'SET #mark = :now, expiresAt = :expiry' : 'SET #mark = :now ADD followUps :one',
        ConditionExpression: compensation
          ? `${stands} AND ${compensation.followUpsSeen ? 'followUps = :seen' : 'attribute_not_exists(followUps)'}`
          : stands,
        ExpressionAttributeNames: { '#mark': attribute },
        ExpressionAttributeValues: {
          ':now': Date.now(),
          ':action': 'action',
          ...(compensation
            ? { ':expiry': expiry(), ...(compensation.followUpsSeen ? { ':seen': compensation.followUpsSeen } : {}) }
            : { ':one': 1 }),
        },
      },
    };
  }

  private async read(gid: string, branch: string, op: 'action') {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: barrierKey(gid, branch, op), ConsistentRead: true }));
    return out.Item as
      | ({ origin: 'action' | 'compensation'; data?: unknown; compensatedAt?: number } & Record<string, unknown>)
      | undefined;
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
