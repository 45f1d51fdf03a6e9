import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logger, tracer } from '../../shared/powertools';
import { catalog } from './dependencies';
import { batchGet } from './product-service';
import { batchGetRequest, type CatalogEntry } from './schemas';

const repo = catalog();

/**
 * Internal, not an API route: other services (cart, orders) invoke it with `{ ids }` to read
 * current products and stock without touching the catalogue's table.
 */
export const handler = middy<unknown, { products: CatalogEntry[] }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer))
  .handler(async (event) => batchGet(repo, batchGetRequest.parse(event).ids));
