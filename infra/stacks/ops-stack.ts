import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { ApiWaf } from '../constructs/api-waf';
import type { MallApi } from '../constructs/mall-api';
import type { MallEvents } from '../constructs/mall-events';
import { Observability } from '../constructs/observability';

/**
 * Deployed last: the API's deployment and stage (which serve every stack's routes), and what
 * watches the mall: the dashboard, the alarms and their topic, saved log queries; the stage's
 * WAF rate limit per client, when configured.
 */
export class OpsStack extends Stack {
  constructor(scope: Construct, id: string, config: StageConfig, { api, events }: { api: MallApi; events: MallEvents }, props: StackProps) {
    super(scope, id, props);
    const stage = api.deployStage(this);
    new CfnOutput(this, 'ApiUrl', { value: stage.urlForPath('/'), description: "The mall's API" });
    if (config.wafRateLimit !== undefined) {
      new ApiWaf(this, 'Waf', { stage, rateLimit: config.wafRateLimit, name: `serverless-mall-${config.stage}` });
    }
    new Observability(this, 'Observability', { api, events, config });
  }
}
