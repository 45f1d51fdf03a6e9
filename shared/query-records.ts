import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { recordOf } from './records';

/** Every item a query finds, page after page (paginateQuery), each as the record its schema describes. */
export async function queryRecords<S extends z.ZodType>(
  db: DynamoDBDocumentClient,
  schema: S,
  input: QueryCommandInput,
): Promise<z.infer<S>[]> {
  const records: z.infer<S>[] = [];
  for await (const page of paginateQuery({ client: db }, input)) records.push(...(page.Items ?? []).map((item) => recordOf(schema, item)));
  return records;
}
