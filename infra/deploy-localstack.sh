#!/usr/bin/env bash
# `npm run deploy:localstack`: deploys the same CDK app (all its stacks, in dependency order) to
# LocalStack, started beforehand with
#   LOCALSTACK_AUTH_TOKEN=... docker compose -f localstack-compose.yml up -d
set -euo pipefail
cd "$(dirname "$0")/.."

export MALL_STAGE="${MALL_STAGE:-localstack}"
export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost.localstack.cloud:4566}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
# The CDK CLI takes the region from AWS_REGION before AWS_DEFAULT_REGION.
export AWS_REGION="$AWS_DEFAULT_REGION"
export CDK_DEFAULT_ACCOUNT="${CDK_DEFAULT_ACCOUNT:-000000000000}"
export CDK_DEFAULT_REGION="$AWS_DEFAULT_REGION"

if ! curl -fsS "$AWS_ENDPOINT_URL/_localstack/health" >/dev/null; then
  echo "LocalStack does not answer at $AWS_ENDPOINT_URL." >&2
  echo "Start it with: LOCALSTACK_AUTH_TOKEN=<token> docker compose -f localstack-compose.yml up -d" >&2
  exit 1
fi

npx cdklocal bootstrap "aws://$CDK_DEFAULT_ACCOUNT/$AWS_DEFAULT_REGION"
npx cdklocal deploy --all --require-approval never --outputs-file cdk.out/localstack-outputs.json
echo "Deployed. The API's URL is in cdk.out/localstack-outputs.json (ServerlessMall-$MALL_STAGE-Ops, ApiUrl)."
