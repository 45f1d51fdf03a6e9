import { dynamo } from '../../shared/aws';
import { Barrier } from '../../shared/barrier';
import { requireEnv } from '../../shared/env';
import { gidOf, sagaStep } from '../../shared/saga';
import { catalog } from './dependencies';
import { releaseStock } from './inventory';

const repo = catalog();
const barrier = new Barrier(dynamo, requireEnv('CATALOG_TABLE'));

/** Compensation ReleaseStock: gives back what ReserveStock took; empty if it never ran. */
export const handler = sagaStep('ReleaseStock', (input) => releaseStock(repo, barrier, gidOf(input)), { compensation: true });
