/** `$VAR`, `${VAR}` and `~` expansion in file paths and attribute values, as GraphTool's expandvars/expanduser. */
import { homedir } from 'node:os';

export type Env = Readonly<Record<string, string | undefined>>;

/** Expands variables from `env`; calls `missing(name)` for each unset one and leaves it as written. */
export function expandVars(text: string, env: Env, missing: (name: string) => void = () => {}): string {
  const expanded = text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, braced?: string, bare?: string) => {
    const name = (braced ?? bare)!;
    const value = env[name];
    if (value === undefined) {
      missing(name);
      return whole;
    }
    return value;
  });
  return expanded.startsWith('~/') || expanded === '~' ? homedir() + expanded.slice(1) : expanded;
}
