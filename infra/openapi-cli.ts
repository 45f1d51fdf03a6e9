import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from './app';
import { stageConfig } from './config';
import { openApiDocument } from './openapi';

/** `npm run openapi [file]`: writes the OpenAPI document (import it into Postman), default cdk.out/openapi.json. */
const target = path.resolve(process.argv[2] ?? 'cdk.out/openapi.json');
const { api } = buildApp(stageConfig('local'), { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mall-openapi-')), skipBundling: true });
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, JSON.stringify(openApiDocument(api.routes), null, 2));
console.log(`OpenAPI document written to ${target}`);
