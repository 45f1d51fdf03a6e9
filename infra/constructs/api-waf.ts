import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiWafProps {
  stage: apigw.Stage;
  /** Requests per 5 minutes per client IP before WAF answers 429 (config.wafRateLimit). */
  rateLimit: number;
  name: string;
}

/**
 * A per-client rate limit in front of the API stage: a WAFv2 web ACL whose rate-based rule
 * blocks an IP address over `rateLimit` requests in any 5 minutes, with 429. It bounds password
 * guessing across accounts (the per-account backoff bounds it per account) and any other
 * flooding from one client. Made only when the stage configures a limit.
 */
export class ApiWaf extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, { stage, rateLimit, name }: ApiWafProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${name}-acl`),
      customResponseBodies: {
        throttled: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ code: 'THROTTLED', message: 'too many requests, retry shortly' }),
        },
      },
      rules: [
        {
          name: 'RatePerClientIp',
          priority: 0,
          statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'throttled' } } },
          visibilityConfig: visibility(`${name}-rate-per-ip`),
        },
      ],
    });
    const association = new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    association.node.addDependency(stage);
  }
}
