import * as z from 'zod';
import type { Route } from './routes';

interface JsonSchema {
  properties?: Record<string, object>;
  required?: string[];
  [keyword: string]: unknown;
}

/** A zod schema as JSON Schema (what the handler reads, or what it answers), without the dialect line. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const json = (schema: object) => ({ 'application/json': { schema } });

/** The OpenAPI 3 document of the routes, generated from the handlers' zod schemas: inputs and 200 replies. */
export function openApiDocument(routes: Route[], serverUrl = 'http://localhost:3000') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const schema = jsonSchema(route.input, 'input');
    const error = json({ $ref: '#/components/schemas/Error' });
    const operation: Record<string, unknown> = {
      tags: [route.tag],
      summary: route.access === 'admin' ? `${route.summary} (admin)` : route.summary,
      operationId: `${route.method.toLowerCase()}${route.path.replace(/\/(\w)/g, (_, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
      ...(route.access === 'public' ? { security: [] } : {}),
      responses: {
        '200': { description: 'OK', content: json(jsonSchema(route.response, 'output')) },
        '4XX': { description: 'Refused', content: error },
        '5XX': { description: 'Failed', content: error },
      },
    };
    if (route.method === 'GET') {
      operation.parameters = Object.entries(schema.properties ?? {}).map(([name, s]) => ({
        name,
        in: 'query',
        required: (schema.required ?? []).includes(name),
        schema: s,
      }));
    } else {
      operation.requestBody = { required: true, content: json(schema) };
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0', // its schemas are JSON Schema 2020-12, as zod writes them
    info: { title: 'Serverless mall', version: '1.0.0', description: "go-zero-mall's HTTP API, on AWS Lambda and API Gateway" },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
      },
    },
    paths,
  };
}
