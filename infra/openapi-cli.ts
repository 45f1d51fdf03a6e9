import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from './app';
import { stageConfig } from './config';
import { openApiDocument } from './openapi';
import { postmanCollection } from './postman';

/**
 * `npm run openapi [file]`: writes the OpenAPI document, default cdk.out/openapi.json.
 * `npm run postman [file]`: writes it as a Postman collection, default cdk.out/postman_collection.json.
 */
const postman = process.argv.includes('--postman');
const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
const target = path.resolve(file ?? (postman ? 'cdk.out/postman_collection.json' : 'cdk.out/openapi.json'));
const { api } = buildApp(stageConfig('local'), { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mall-openapi-')), skipBundling: true });
const document = openApiDocument(api.routes);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, JSON.stringify(postman ? await postmanCollection(document) : document, null, 2));
console.log(`${postman ? 'Postman collection' : 'OpenAPI document'} written to ${target}`);
