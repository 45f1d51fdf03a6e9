import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf } from '../../../shared/saga';
import { catalog, catalogBarrier } from '../dependencies';
import { releaseStock } from '../inventory';

const repo = catalog();
const barrier = catalogBarrier();

/** Compensation ReleaseStock: gives back what ReserveStock took; empty if it never ran. */
export const handler = sagaStep('ReleaseStock', (input) => releaseStock(repo, barrier, gidOf(input), input.placed), { compensation: true });
