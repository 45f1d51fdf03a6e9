import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { stageConfig } from '../../infra/config';
import { synthStage } from './synth';

const ofType = (resources: Record<string, any>, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('WAF rate limit per client', () => {
  it('puts a web ACL with a rate-based rule per IP on the stage when the stage configures one (prod: 2000 per 5 min)', () => {
    const { merged } = synthStage('prod', { MALL_WAF_RATE_LIMIT: '1500' });
    const template = Template.fromJSON(merged);
    const resources = template.toJSON().Resources;
    const [[aclId, acl]] = ofType(resources, 'AWS::WAFv2::WebACL') as [[string, any]];
    expect(acl.Properties.Scope).toBe('REGIONAL');
    expect(acl.Properties.DefaultAction).toEqual({ Allow: {} });
    expect(acl.Properties.Rules).toEqual([
      expect.objectContaining({
        Statement: { RateBasedStatement: { Limit: 1500, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
        Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'throttled' } } },
      }),
    ]);
    const associations = ofType(resources, 'AWS::WAFv2::WebACLAssociation');
    expect(associations).toHaveLength(1);
    const association = associations[0]![1];
    expect(JSON.stringify(association.Properties.WebACLArn)).toContain(aclId);
    // The stage's ARN: arn:aws:apigateway:<region>::/restapis/<api>/stages/<the prod stage>
    const arn = JSON.stringify(association.Properties.ResourceArn);
    expect(arn).toContain('::/restapis/');
    const [[stageId, stage]] = ofType(resources, 'AWS::ApiGateway::Stage') as [[string, any]];
    expect(stage.Properties.StageName).toBe('prod');
    expect(arn).toContain(`"/stages/",{"Ref":"${stageId}"}`);
    expect(stageConfig('prod', {}).wafRateLimit).toBe(2000);
  });

  it('makes none when the stage has no limit (dev, local) or MALL_WAF_RATE_LIMIT=off', () => {
    expect(stageConfig('dev', {}).wafRateLimit).toBeUndefined();
    expect(stageConfig('local', {}).wafRateLimit).toBeUndefined();
    const resources = Template.fromJSON(synthStage('prod', { MALL_WAF_RATE_LIMIT: 'off' }).merged).toJSON().Resources;
    expect(ofType(resources, 'AWS::WAFv2::WebACL')).toHaveLength(0);
    expect(ofType(resources, 'AWS::WAFv2::WebACLAssociation')).toHaveLength(0);
    expect(() => stageConfig('dev', { MALL_WAF_RATE_LIMIT: 'lots' })).toThrow(/MALL_WAF_RATE_LIMIT must be a positive integer/);
  });
});
