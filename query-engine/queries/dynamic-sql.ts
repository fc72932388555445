/** GraphTool's dynamic SQL hook inputs, limited to the one function real configs name: GW's opportunistic filter. */
import { AppError } from '../../common/index.js';

/** The non-SQL inputs that name a function rewriting the statement before it runs. */
const DYNAMIC_SQL_INPUTS = { module: 'sql_dynamic_modif_func_mod_name', fn: 'sql_dynamic_modif_func' } as const;

/** The only hook there is: `gratia.database.opportunistic_filter` → `oim_vo_ownership.alter_sql`. */
const OPPORTUNISTIC_HOOK = { module: 'gratia.database.opportunistic_filter', fn: 'oim_vo_ownership.alter_sql' } as const;

/** The bind the opportunistic hook replaces with generated SQL. */
export const OPPORTUNISTIC_BIND = 'opportunistic-filter';

/**
 * What is wrong with a hook input's value, or undefined. An empty value turns the hook off; any function but the
 * whitelisted one is refused, because a URL can set these inputs too.
 */
export function checkDynamicSqlHook(input: string, value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (input === DYNAMIC_SQL_INPUTS.fn && v !== OPPORTUNISTIC_HOOK.fn) {
    return `input "${input}": "${v}" is not a known SQL hook; the only one is "${OPPORTUNISTIC_HOOK.fn}"`;
  }
  if (input === DYNAMIC_SQL_INPUTS.module && v !== OPPORTUNISTIC_HOOK.module) {
    return `input "${input}": "${v}" is not a known SQL hook module; the only one is "${OPPORTUNISTIC_HOOK.module}"`;
  }
  return undefined;
}

/** Whether a request's inputs turn the opportunistic hook on; a value that names another function is a 400. */
export function opportunisticHookEnabled(values: Readonly<Record<string, { value: unknown }>>): boolean {
  for (const input of [DYNAMIC_SQL_INPUTS.module, DYNAMIC_SQL_INPUTS.fn]) {
    const v = values[input];
    if (v === undefined) continue;
    const problem = checkDynamicSqlHook(input, String(v.value));
    if (problem) throw new AppError('bad_request', problem, { input });
  }
  const fn = values[DYNAMIC_SQL_INPUTS.fn];
  return fn !== undefined && String(fn.value).trim() !== '';
}
