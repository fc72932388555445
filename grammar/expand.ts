/** `$VAR`, `${VAR}`, `${VAR:-default}` and `~` expansion in paths and attribute values (GraphTool's expandvars/expanduser). */
import { homedir } from 'node:os';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Expands variables from `env`. `${VAR:-default}` takes the default when VAR is unset or empty (as the shell does);
 * for each other unset variable `missing(name)` is called and the text is left as written.
 */
export function expandVars(text: string, env: Env, missing: (name: string) => void = () => {}): string {
  const pattern = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  const expanded = text.replace(pattern, (whole, braced?: string, fallback?: string, bare?: string) => {
    const name = (braced ?? bare)!;
    const value = env[name];
    if (fallback !== undefined) return value ? value : fallback;
    if (value === undefined) {
      missing(name);
      return whole;
    }
    return value;
  });
  return expanded.startsWith('~/') || expanded === '~' ? homedir() + expanded.slice(1) : expanded;
}
