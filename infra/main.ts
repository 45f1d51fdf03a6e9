import { buildApp } from './app';
import { stageConfig } from './config';

// Entry point of `cdk synth` / `cdk deploy` (see cdk.json).
buildApp(stageConfig()).app.synth();
