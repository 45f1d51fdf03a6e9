import { describe, expect, it } from 'vitest';
import { requiredPermissions } from '../../infra/local/dynamodb-iam';
import { decide, endpointPermissions, type Statement, wildcardMatch } from '../../infra/local/iam';

const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders';

describe('the local IAM policy evaluation', () => {
  const allowRead: Statement = {
    Effect: 'Allow',
    Action: ['dynamodb:GetItem', 'dynamodb:Query'],
    Resource: [table, `${table}/index/ByUser`],
  };

  it('allows exactly the actions and resources a statement names', () => {
    expect(decide([allowRead], 'dynamodb:GetItem', table)).toBe('allow');
    expect(decide([allowRead], 'dynamodb:PutItem', table)).toBe('implicit deny');
    expect(decide([allowRead], 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/Users')).toBe('implicit deny');
    expect(decide([], 'dynamodb:GetItem', table)).toBe('implicit deny');
  });

  it('tells an index from its table', () => {
    expect(decide([allowRead], 'dynamodb:Query', `${table}/index/ByUser`)).toBe('allow');
    expect(decide([allowRead], 'dynamodb:Query', `${table}/index/ByOpen`)).toBe('implicit deny');
    expect(decide([{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: table }], 'dynamodb:Query', `${table}/index/ByUser`)).toBe(
      'implicit deny',
    );
  });

  it('lets an explicit Deny win over any Allow', () => {
    const deny: Statement = { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' };
    expect(decide([allowRead, deny], 'dynamodb:GetItem', table)).toBe('explicit deny');
  });

  it('matches wildcards: case-insensitive in actions, case-sensitive in resources', () => {
    expect(decide([{ Effect: 'Allow', Action: 'DynamoDB:Get*', Resource: `${table}*` }], 'dynamodb:GetItem', `${table}/index/ByUser`)).toBe(
      'allow',
    );
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: table.toLowerCase() }], 'dynamodb:GetItem', table)).toBe('implicit deny');
    expect(wildcardMatch('arn:aws:lambda:*:*:function:f?', 'arn:aws:lambda:us-east-1:1:function:f1', true)).toBe(true);
    expect(wildcardMatch('arn:aws:lambda:*:*:function:f?', 'arn:aws:lambda:us-east-1:1:function:f12', true)).toBe(false);
    expect(wildcardMatch('a.b', 'aXb', true)).toBe(false);
  });

  it('reads NotAction and NotResource as "everything but"', () => {
    expect(decide([{ Effect: 'Allow', NotAction: 'dynamodb:DeleteItem', Resource: table }], 'dynamodb:PutItem', table)).toBe('allow');
    expect(decide([{ Effect: 'Allow', NotAction: 'dynamodb:DeleteItem', Resource: table }], 'dynamodb:DeleteItem', table)).toBe(
      'implicit deny',
    );
    expect(decide([{ Effect: 'Allow', Action: 'dynamodb:GetItem', NotResource: table }], 'dynamodb:GetItem', table)).toBe('implicit deny');
  });
});

describe('what IAM checks for a call', () => {
  it('checks each item of a DynamoDB transaction or batch with its own action and table', () => {
    expect(
      requiredPermissions('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'Orders' } },
          { Update: { TableName: 'Orders' } },
          { ConditionCheck: { TableName: 'Coupons' } },
          { Delete: { TableName: 'Carts' } },
        ],
      }),
    ).toEqual([
      ['dynamodb:PutItem', table],
      ['dynamodb:UpdateItem', table],
      ['dynamodb:ConditionCheckItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/Coupons'],
      ['dynamodb:DeleteItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/Carts'],
    ]);
    expect(requiredPermissions('BatchGetItem', { RequestItems: { Orders: {}, Carts: {} } }).map(([a]) => a)).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchGetItem',
    ]);
    expect(requiredPermissions('Query', { TableName: 'Orders', IndexName: 'ByUser' })).toEqual([
      ['dynamodb:Query', `${table}/index/ByUser`],
    ]);
  });

  it('names the resource of a Step Functions, EventBridge, Secrets Manager, Lambda or API Gateway call', () => {
    const call = (c: object) => endpointPermissions({ accessKey: 'k', method: 'POST', path: '/', body: {}, ...c });
    expect(call({ target: 'AWSStepFunctions.StartExecution', body: { stateMachineArn: 'arn:sm' } })).toEqual([
      ['states:StartExecution', ['arn:sm']],
    ]);
    expect(call({ target: 'AWSEvents.PutEvents', body: { Entries: [{ EventBusName: 'Bus' }] } })).toEqual([
      ['events:PutEvents', ['arn:aws:events:us-east-1:000000000000:event-bus/Bus']],
    ]);
    expect(call({ target: 'secretsmanager.GetSecretValue', body: { SecretId: 'arn:s' } })).toEqual([
      ['secretsmanager:GetSecretValue', ['arn:s']],
    ]);
    expect(call({ path: '/2015-03-31/functions/f/invocations' })).toEqual([
      ['lambda:InvokeFunction', ['arn:aws:lambda:us-east-1:000000000000:function:f']],
    ]);
    expect(call({ method: 'DELETE', path: '/restapis/a/stages/s/cache/authorizers' })).toEqual([
      ['apigateway:DELETE', ['arn:aws:apigateway:us-east-1::/restapis/a/stages/s/cache/authorizers']],
    ]);
    expect(call({ method: 'GET', path: '/_local/functions' })).toEqual([]);
  });
});
