import { dynamo } from '../../shared/aws';
import { Barrier } from '../../shared/barrier';
import { requireEnv } from '../../shared/env';
import { gidOf, sagaStep } from '../../shared/saga';
import { catalog } from './dependencies';
import { reserveStock } from './inventory';

const repo = catalog();
const barrier = new Barrier(dynamo, requireEnv('CATALOG_TABLE'));

/** Saga step ReserveStock (inventory's Sell). */
export const handler = sagaStep('ReserveStock', (input) => reserveStock(repo, barrier, gidOf(input), input.items));
