import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { MallEvents } from '../constructs/mall-events';

/**
 * Everything that holds data: each service's table, the event bus with its archive, and the
 * secrets. The stateless stacks (functions, routes, the saga) can be redeployed, replaced or
 * deleted without touching any of it. Each table sits under its service's name, as its
 * functions do in the other stacks.
 */
export class DataStack extends Stack {
  readonly tables: {
    users: dynamodb.Table;
    products: dynamodb.Table;
    carts: dynamodb.Table;
    coupons: dynamodb.Table;
    orders: dynamodb.Table;
    payments: dynamodb.Table;
  };
  readonly events: MallEvents;
  /** HMAC key for access tokens; only login (signs) and the authorizer (verifies) may read it. */
  readonly jwtSigningSecret: secretsmanager.Secret;
  /** HMAC key the payment provider signs its notifications with. */
  readonly paymentProviderKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, config: StageConfig, props: StackProps) {
    super(scope, id, props);
    const service = (name: string) => new Construct(this, name);
    const number = dynamodb.AttributeType.NUMBER;
    const string = dynamodb.AttributeType.STRING;
    const index = (table: dynamodb.Table, indexName: string, partition: string, sort: string) =>
      table.addGlobalSecondaryIndex({ indexName, partitionKey: { name: partition, type: string }, sortKey: { name: sort, type: number } });

    const users = serviceTable(service('Users'), config, { sortKey: false });

    // Contributor insights show the most accessed and throttled keys: how a hot flash-sale product is measured.
    const products = serviceTable(service('Products'), config, { contributorInsights: true });
    // Storefront lists are served by sparse indexes, never scans.
    index(products, 'ByRecommend', 'recPk', 'recKey');
    index(products, 'ByNewest', 'catPk', 'newKey');
    index(products, 'ByPrice', 'catPk', 'priceKey');
    index(products, 'BySales', 'catPk', 'salesKey');

    const orders = serviceTable(service('Orders'), config);
    index(orders, 'ByUser', 'userPk', 'listKey');
    index(orders, 'ByOpen', 'openPk', 'openKey');
    index(orders, 'ByPayDue', 'payPk', 'payDue');
    // Orders from payment on, by state (sparse, sharded): the admin's list, the sweeper's auto-receipt and completion.
    index(orders, 'ByState', 'statePk', 'stateKey');

    const paymentsScope = service('Payments');
    const payments = serviceTable(paymentsScope, config);
    // The payment outbox: paid payments whose PaymentSucceeded is not yet on the bus.
    index(payments, 'ByOutbox', 'outboxPk', 'outboxAt');
    this.tables = {
      users,
      products,
      carts: serviceTable(service('Carts'), config),
      coupons: serviceTable(service('Coupons'), config),
      orders,
      payments,
    };

    this.events = new MallEvents(this, 'Events', config);

    // Both keys are created by Secrets Manager at deploy time: no value exists in code or template.
    const secret = (scope: Construct, id: string, description: string, whyNotRotated: string) => {
      const created = new secretsmanager.Secret(scope, id, {
        description,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      Validations.of(created).acknowledge({ id: 'AwsSolutions-SMG4', reason: whyNotRotated });
      return created;
    };
    this.jwtSigningSecret = secret(
      this,
      'JwtSigningSecret',
      'HMAC key that signs the mall access tokens',
      'Rotating the HMAC key would sign out every user at once; rotate by redeploying with a new secret when needed.',
    );
    this.paymentProviderKey = secret(
      paymentsScope,
      'CallbackSecret',
      'HMAC key the payment provider signs notifications with',
      'The key is shared with the payment provider; it is rotated together with the provider, not on a schedule: the secret then holds {"current", "previous"} and the notification accepts both (functions/pay/notify-signature.ts).',
    );
  }
}

/**
 * A service's own table, with the mall's defaults: string keys `pk` (and `sk`), on-demand,
 * point-in-time recovery, and data kept on stack deletion where the stage says so.
 * TTL is on `expiresAt`, an attribute that only transient records carry (saga barriers, revoked
 * tokens, idempotency keys): DynamoDB deletes an item once that time has passed, so no business
 * record may ever use the name.
 */
function serviceTable(
  scope: Construct,
  config: StageConfig,
  options: { sortKey?: boolean; contributorInsights?: boolean } = {},
): dynamodb.Table {
  return new dynamodb.Table(scope, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    ...(options.sortKey === false ? {} : { sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING } }),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // Encrypted with the account's KMS key for DynamoDB, so CloudTrail shows each use.
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    timeToLiveAttribute: 'expiresAt',
    ...(options.contributorInsights ? { contributorInsightsSpecification: { enabled: true } } : {}),
    removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}
