/**
 * What the local AWS endpoint and the local IAM share: a call as IAM sees it, and who makes it
 * (the access key a SigV4 signature names). Both import it; neither imports the other for it.
 */

/** One call to the endpoint, as IAM sees it: who (access key) asks for what. */
export interface AwsCall {
  accessKey: string | undefined;
  /** X-Amz-Target of a JSON-protocol call, e.g. AWSStepFunctions.StartExecution. */
  target?: string;
  method: string;
  path: string;
  body: any;
}

/** The access key id in a SigV4 Authorization header (Credential=<key>/<date>/...). */
export function accessKeyIn(authorization: string | string[] | undefined): string | undefined {
  return /Credential=([^/]+)\//.exec(String(authorization ?? ''))?.[1];
}
