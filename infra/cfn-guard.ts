import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

/**
 * AWS Control Tower's proactive controls that do not fit this app, each with the reason. Every
 * other bundled control is enforced when `npm run check:deploy` synthesizes with them (prod).
 */
export const WAIVED_CONTROLS: Record<string, string> = {
  'ct-lambda-pr-3':
    'Lambda in a VPC: the mall reaches only AWS services over their public endpoints with IAM; a VPC would add NAT cost and cold-start latency and protect nothing the functions hold.',
  'ct-sqs-pr-1':
    "Queues with a dead-letter queue: the mall's only queues are the dead-letter queues of EventBridge targets, the last stop by design; the rule recognises only SQS-redrive dead-letter queues.",
  'ct-cloudwatch-pr-3':
    'Log groups encrypted with a customer-managed key: CloudWatch Logs encrypts at rest already, and the functions never log secrets or personal data (test/e2e/observability.test.ts checks it).',
};

/** The validation plugin with Control Tower's bundled rules, minus the waived ones. */
export function controlTowerGuard(): CfnGuardValidator {
  return new CfnGuardValidator({ disabledRules: Object.keys(WAIVED_CONTROLS) });
}
