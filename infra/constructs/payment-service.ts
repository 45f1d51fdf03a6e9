import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { functionFactory } from './service-function';

/** Payments (go-zero-mall's pay service): the saga creates and closes an order's payment record. */
export class PaymentService extends Construct {
  readonly createPayment: lambda.IFunction;
  readonly closePayment: lambda.IFunction;

  constructor(scope: Construct, id: string, { config }: { config: StageConfig }) {
    super(scope, id);
    const table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const fn = functionFactory(this, 'pay', config, { PAYMENT_TABLE: table.tableName });

    const createPayment = fn('create-payment');
    createPayment.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    this.createPayment = createPayment;

    const closePayment = fn('close-payment');
    closePayment.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    this.closePayment = closePayment;
  }
}
