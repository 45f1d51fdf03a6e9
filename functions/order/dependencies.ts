import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { dynamo } from '../../shared/aws';
import { Barrier } from '../../shared/barrier';
import { requireEnv, requireIntEnv } from '../../shared/env';
import { tracer } from '../../shared/powertools';
import { couponQuoteFunction } from '../coupon/client';
import { paymentCloseFunction, paymentRefundFunction, refundsAvailableFromEnv } from '../pay/client';
import { catalogFunction } from '../product/client';
import { addressBookFunction } from '../user/client';
import { AfterSaleRepository } from './after-sale-repository';
import type { AfterSaleApprovalDeps, AfterSaleDeps } from './after-sale-service';
import { FulfilmentRepository } from './fulfilment-repository';
import type { FulfilmentDeps } from './fulfilment-service';
import { orderLimitsFromEnv } from './order-limits';
import { OrderRepository } from './order-repository';
import { OrderSagaRepository } from './order-saga-repository';
import { lastErrorIn, type SagaRunner } from './order-saga-service';
import type { OrderCancelDeps, OrderDeps, OrderReadDeps } from './order-service';
import { OverdueOrderRepository } from './overdue-order-repository';
import type { SweepDeps } from './sweep-service';

const table = () => requireEnv('ORDER_TABLE');
export const orderRepository = () => new OrderRepository(dynamo, table());
const paymentCloser = () => paymentCloseFunction(requireEnv('PAY_CLOSE_FUNCTION'));
export const orderSagaRepository = () => new OrderSagaRepository(dynamo, new Barrier(dynamo, table()), table());

/** The order saga on Step Functions: executions are named, so starting one twice is harmless. */
export function sagaRunner(): SagaRunner {
  const stateMachineArn = requireEnv('ORDER_SAGA_ARN');
  const express = requireEnv('ORDER_SAGA_TYPE') === 'EXPRESS';
  const client = tracer.captureAWSv3Client(new SFNClient({}));
  const executionArn = (name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  return {
    async start(name, input) {
      try {
        // The request's X-Ray trace continues into the saga (Lambda sets _X_AMZN_TRACE_ID per invocation).
        const traceHeader = process.env._X_AMZN_TRACE_ID;
        await client.send(
          new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input), ...(traceHeader ? { traceHeader } : {}) }),
        );
      } catch (error) {
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
    },
    async status(name) {
      if (express) return 'UNKNOWN'; // Express executions cannot be described; the sweeper's bound covers them
      try {
        const out = await client.send(new DescribeExecutionCommand({ executionArn: executionArn(name) }));
        return out.status ?? 'UNKNOWN';
      } catch (error) {
        if (error instanceof ExecutionDoesNotExist) return 'MISSING';
        throw error;
      }
    },
    async lastError(name) {
      if (express) return undefined; // Express executions have no history to ask for (their errors are in the logs)
      try {
        const { events = [] } = await client.send(
          new GetExecutionHistoryCommand({ executionArn: executionArn(name), reverseOrder: true, maxResults: 25 }),
        );
        return lastErrorIn(events);
      } catch (error) {
        if (error instanceof ExecutionDoesNotExist) return undefined;
        throw error;
      }
    },
  };
}

/** For reading and managing orders: the table only. */
export const orderReadDeps = (): OrderReadDeps => ({ orders: orderRepository() });

/** For cancelling: the table, the payment service and the saga (no catalog or coupon client). */
export function orderCancelDeps(): OrderCancelDeps {
  return { orders: orderRepository(), saga: sagaRunner(), payments: paymentCloser(), refundsAvailable: refundsAvailableFromEnv() };
}

/** For creating: everything. */
export function orderDeps(): OrderDeps {
  return {
    orders: orderRepository(),
    catalog: catalogFunction(requireEnv('CATALOG_BATCH_GET_FUNCTION')),
    coupons: couponQuoteFunction(requireEnv('COUPON_QUOTE_FUNCTION')),
    saga: sagaRunner(),
    payments: paymentCloser(),
    limits: orderLimitsFromEnv(),
    addresses: addressBookFunction(requireEnv('USER_ADDRESS_FUNCTION')),
  };
}

export const overdueOrderRepository = () => new OverdueOrderRepository(dynamo, table());

export function sweepDeps(): SweepDeps & Pick<FulfilmentDeps, 'fulfilment'> {
  return {
    afterSale: new AfterSaleRepository(dynamo, table()),
    refunds: paymentRefundFunction(requireEnv('PAY_REFUND_FUNCTION')),
    fulfilment: new FulfilmentRepository(dynamo, table()),
    orders: orderRepository(),
    overdue: overdueOrderRepository(),
    saga: sagaRunner(),
    payments: paymentCloser(),
  };
}

// Fulfilment (issue 12): shipping, receipt, the lists by state.
export const fulfilmentDeps = (): FulfilmentDeps => ({ orders: orderRepository(), fulfilment: new FulfilmentRepository(dynamo, table()) });

// After-sale (issue 12): refund requests, and the admin's decisions.
export const afterSaleDeps = (): AfterSaleDeps => ({ orders: orderRepository(), afterSale: new AfterSaleRepository(dynamo, table()) });
/** The return window, for asking (RETURN_WINDOW_DAYS), in ms. */
export const returnWindowMs = () => requireIntEnv('RETURN_WINDOW_DAYS') * 86_400_000;
export const afterSaleApprovalDeps = (): AfterSaleApprovalDeps => ({
  ...afterSaleDeps(),
  refunds: paymentRefundFunction(requireEnv('PAY_REFUND_FUNCTION')),
  refundsAvailable: refundsAvailableFromEnv(),
  saga: sagaRunner(),
});
