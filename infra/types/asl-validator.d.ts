// asl-validator 4 ships no types; this is the one function it exports.
declare module 'asl-validator' {
  const validate: (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => { isValid: boolean; errors: unknown[] };
  export default validate;
}
