import { accessKeyIn } from './aws-call';
import type { DynamoMeter } from './dynamodb-meter';
import { DynamoDbProxy } from './dynamodb-proxy';
import { AccessDenied, type LocalIam } from './iam';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template-intrinsics';

/**
 * IAM in front of DynamoDB Local, which accepts any credentials: each request is checked against
 * its caller's role before it is passed on, with the actions AWS checks: the operation on the
 * table, or on the index a Query or Scan names; for a batch, the operation on every table; for a
 * transaction, each item's own action (Put -> dynamodb:PutItem, Update -> UpdateItem,
 * Delete -> DeleteItem, ConditionCheck -> ConditionCheckItem; TransactGetItems -> GetItem).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 * A `meter` (benchmarks) counts each request let through.
 */
export class DynamoDbIam extends DynamoDbProxy {
  constructor(iam: LocalIam, upstream: string, onDenied: (error: AccessDenied) => void, meter?: DynamoMeter) {
    super(upstream, (operation, body, req) => {
      try {
        const input = safeJson(body);
        for (const [action, resource] of requiredPermissions(operation, input))
          iam.authorize(accessKeyIn(req.headers.authorization), action, [resource]);
        meter?.count(operation, input);
        return undefined;
      } catch (error) {
        if (!(error instanceof AccessDenied)) throw error;
        onDenied(error);
        return {
          status: 400,
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'AccessDeniedException' },
          body: JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: error.message }),
        };
      }
    });
  }
}

const tableArn = (table: string) => `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${table}`;

/** The (action, resource) pairs IAM checks for one DynamoDB request. */
export function requiredPermissions(operation: string, input: any): Array<[string, string]> {
  switch (operation) {
    case 'Query':
    case 'Scan':
      return [[`dynamodb:${operation}`, tableArn(input.TableName) + (input.IndexName ? `/index/${input.IndexName}` : '')]];
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys(input.RequestItems ?? {}).map((table) => [`dynamodb:${operation}`, tableArn(table)]);
    case 'TransactWriteItems': {
      const actions: Record<string, string> = {
        Put: 'PutItem',
        Update: 'UpdateItem',
        Delete: 'DeleteItem',
        ConditionCheck: 'ConditionCheckItem',
      };
      return (input.TransactItems ?? []).map((item: Record<string, { TableName: string }>) => {
        const [kind, spec] = Object.entries(item)[0]!;
        return [`dynamodb:${actions[kind]}`, tableArn(spec.TableName)];
      });
    }
    case 'TransactGetItems':
      return (input.TransactItems ?? []).map((item: { Get: { TableName: string } }) => ['dynamodb:GetItem', tableArn(item.Get.TableName)]);
    default:
      return [[`dynamodb:${operation}`, input.TableName ? tableArn(input.TableName) : '*']];
  }
}

function safeJson(body: Buffer): any {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
}
