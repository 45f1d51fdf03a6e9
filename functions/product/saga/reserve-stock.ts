import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf } from '../../../shared/saga';
import { catalog, catalogBarrier } from '../dependencies';
import { reserveStock } from '../inventory';

const repo = catalog();
const barrier = catalogBarrier();

/** Saga step ReserveStock (inventory's Sell). */
export const handler = sagaStep('ReserveStock', (input) => reserveStock(repo, barrier, gidOf(input), input.items));
