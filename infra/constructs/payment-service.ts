import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { functionFactory, serviceTable } from './service-function';

/** Payments (go-zero-mall's pay service): the saga creates and closes an order's payment record. */
export class PaymentService extends Construct {
  readonly createPayment: lambda.IFunction;
  readonly closePayment: lambda.IFunction;

  constructor(scope: Construct, id: string, { config }: { config: StageConfig }) {
    super(scope, id);
    const table = serviceTable(this, config);
    const fn = functionFactory(this, 'pay', config, { PAYMENT_TABLE: table.tableName });

    const createPayment = fn('create-payment');
    createPayment.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    this.createPayment = createPayment;

    const closePayment = fn('close-payment');
    closePayment.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    this.closePayment = closePayment;
  }
}
