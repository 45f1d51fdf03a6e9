/**
 * Every price the cost table uses, in one place: AWS us-east-1, on-demand, first pricing tier,
 * in US dollars, each with the page it comes from (as read in November 2026). The few figures
 * the local cloud cannot measure are assumptions, named as such below.
 */
export const PRICES = {
  apiGateway: {
    /** REST API, per request (first 333 million a month). */
    request: { usd: 3.5 / 1e6, source: 'https://aws.amazon.com/api-gateway/pricing/' },
  },
  lambda: {
    /** Per invocation. */
    request: { usd: 0.2 / 1e6, source: 'https://aws.amazon.com/lambda/pricing/' },
    /** Per GB-second on Arm (the functions' architecture), first 7.5 billion GB-s a month. */
    armGbSecond: { usd: 0.0000133334, source: 'https://aws.amazon.com/lambda/pricing/' },
  },
  stepFunctions: {
    /** Standard: per state transition. */
    standardTransition: { usd: 0.025 / 1000, source: 'https://aws.amazon.com/step-functions/pricing/' },
    /** Express: per execution (request). */
    expressRequest: { usd: 1.0 / 1e6, source: 'https://aws.amazon.com/step-functions/pricing/' },
    /** Express: per GB-second, billed in 100 ms and 64 MB steps (first 1,000 hours a month). */
    expressGbSecond: { usd: 0.00001667, source: 'https://aws.amazon.com/step-functions/pricing/' },
  },
  dynamoDb: {
    /** On-demand, per write request unit (1 KB; 2 per item in a transaction). */
    writeUnit: { usd: 0.625 / 1e6, source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
    /** On-demand, per read request unit (4 KB strongly consistent; half for eventually consistent). */
    readUnit: { usd: 0.125 / 1e6, source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  },
  eventBridge: {
    /** Custom events put on a bus, per 64 KB event. */
    customEvent: { usd: 1.0 / 1e6, source: 'https://aws.amazon.com/eventbridge/pricing/' },
  },
  cloudWatchLogs: {
    /** Standard log class, per GB ingested (the first month's storage, $0.03 per GB, left out). */
    ingestedGb: { usd: 0.5, source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  },
} as const;

/** Assumptions: what the local cloud cannot measure the way AWS bills it. */
export const ASSUMED = {
  /** Billed duration of one warm Lambda invocation in AWS (the local worker threads are no guide). */
  lambdaMs: 50,
  /** The functions' memory (ServiceFunction's default). */
  lambdaMb: 256,
  /** Bytes Lambda itself logs per invocation (START, END and REPORT lines). */
  lambdaPlatformLogBytes: 300,
  /** The state machine's memory step for Express billing. */
  expressMb: 64,
} as const;
