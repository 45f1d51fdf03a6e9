import { Template } from 'aws-cdk-lib/assertions';
import { synthStage } from './synth';

// What the stack tests share: the prod stage, synthesized once per test file, and ways to read it.

export let built: ReturnType<typeof synthStage>;
export let template: Template;
export let resources: Record<string, any>;

/** Synthesizes the prod stage: every stack test file runs it before its tests. */
export function synthProd(): void {
  built = synthStage('prod', { MALL_ADMIN_MOBILES: '13800000000' });
  template = Template.fromJSON(built.merged);
  resources = template.toJSON().Resources;
}

export const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The logical ids a value refers to: by Ref or GetAtt, or a function of another stack by its literal name. */
export const refs = (value: unknown): string[] => {
  const text = JSON.stringify(value);
  const named = [...text.matchAll(/:function:([\w-]+)/g)].map(
    (m) => ofType('AWS::Lambda::Function').find(([, f]) => f.Properties.FunctionName === m[1])?.[0],
  );
  const referenced = [...text.matchAll(/"(?:Ref|Fn::GetAtt)":(?:\["|")([A-Za-z0-9]+)/g)].map((m) => m[1]!);
  return [...referenced, ...named].filter((id): id is string => !!id && id in resources);
};

/** "ServerlessMall-prod/Users/Login/Resource" -> "Users" */
export function serviceOf(logicalId: string): string {
  const constructPath = resources[logicalId]?.Metadata?.['aws:cdk:path'];
  if (typeof constructPath !== 'string') throw new Error(`${logicalId} has no construct path`);
  return constructPath.split('/')[1]!;
}

/** "ServerlessMall-prod/Users/Login/Resource" -> "Users/Login" */
export function constructOf(logicalId: string): string {
  return `${serviceOf(logicalId)}/${String(resources[logicalId].Metadata['aws:cdk:path']).split('/')[2]}`;
}

/** role logical id -> the function that uses it */
export const roleOfFunction = () =>
  new Map(ofType('AWS::Lambda::Function').map(([id, f]) => [f.Properties.Role['Fn::GetAtt'][0] as string, id]));

export function routePath(resourceId: string): string {
  const parts: string[] = [];
  let id: string | undefined = resourceId;
  while (id && resources[id]?.Type === 'AWS::ApiGateway::Resource') {
    parts.unshift(resources[id].Properties.PathPart);
    id = resources[id].Properties.ParentId?.Ref;
  }
  return `/${parts.join('/')}`;
}
