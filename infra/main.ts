import { buildApp } from './app';
import { StageConfigError, stageConfig } from './config';

// Entry point of `cdk synth` / `cdk deploy` (see cdk.json). MALL_CFN_GUARD=1 also checks AWS
// Control Tower's proactive controls (npm run check:deploy does, once).
const plugins = process.env.MALL_CFN_GUARD === '1' ? [(await import('./cfn-guard')).controlTowerGuard()] : [];
try {
  buildApp(stageConfig(), { plugins }).app.synth();
} catch (error) {
  if (!(error instanceof StageConfigError)) throw error;
  console.error(`Error: ${error.message}`);
  process.exit(1);
}
