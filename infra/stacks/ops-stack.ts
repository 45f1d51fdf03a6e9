import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import type { MallApi } from '../constructs/mall-api';
import type { MallEvents } from '../constructs/mall-events';
import { Observability } from '../constructs/observability';

/**
 * Deployed last: the API's deployment and stage (which serve every stack's routes), and what
 * watches the mall: the dashboard, the alarms and their topic, saved log queries.
 */
export class OpsStack extends Stack {
  constructor(scope: Construct, id: string, config: StageConfig, { api, events }: { api: MallApi; events: MallEvents }, props: StackProps) {
    super(scope, id, props);
    const stage = api.deployStage(this);
    new CfnOutput(this, 'ApiUrl', { value: stage.urlForPath('/'), description: "The mall's API" });
    new Observability(this, 'Observability', { api, events, config });
  }
}
