/** `--name value` / `--name=value` flags with numeric defaults; unknown flags are an error. */
export function numericFlags<T extends Record<string, number>>(argv: string[], defaults: T): T {
  const values: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!(name in defaults))
      throw new Error(
        `unknown flag --${name} (known: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(', ')})`,
      );
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} needs a positive number (got "${raw}")`);
    values[name] = value;
  }
  return values as T;
}
