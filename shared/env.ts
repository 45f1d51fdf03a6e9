/** Reads a required environment variable once, at module load, and fails fast when it is absent. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`environment variable ${name} is required`);
  }
  return value;
}

export function requireIntEnv(name: string): number {
  const raw = requireEnv(name);
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`environment variable ${name} must be an integer, got ${raw}`);
  }
  return value;
}
