import { convertV2 } from 'openapi-to-postmanv2';

/** A Postman collection (v2.1), as far as the mall's tests read it. */
export interface PostmanCollection {
  item: Array<{ name: string; item: PostmanRequest[] }>;
  auth?: { type: string };
  variable?: Array<{ key: string; value: string }>;
}
interface PostmanRequest {
  name: string;
  request: { method: string; url: { path: string[] }; body?: { raw: string } };
  response: Array<{ code: number; body: string }>;
}

/**
 * The OpenAPI document as a Postman collection (v2.1), by Postman's own converter: a folder per
 * tag, each request with an example body and its 200 reply's example from the response schema,
 * the server URL as `{{baseUrl}}` and the bearer token as `{{bearerToken}}`.
 */
export function postmanCollection(document: object): Promise<PostmanCollection> {
  return new Promise((resolve, reject) =>
    convertV2(
      { type: 'json', data: document as never },
      { folderStrategy: 'Tags', requestParametersResolution: 'Example', exampleParametersResolution: 'Example' },
      (error, result) => {
        if (error) return reject(error);
        if (!result?.result || !result.output?.[0]) return reject(new Error(`the OpenAPI document did not convert: ${result?.reason}`));
        resolve(result.output[0].data as unknown as PostmanCollection);
      },
    ),
  );
}
