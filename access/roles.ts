/** The three roles, in order of rights: each includes everything the ones before it may do. */

/** Roles from least to most rights; `admin` may do all an `operator` may, who may do all a `viewer` may. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `value` names a role (exact, lower case, as configuration and the token API spell it). */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether someone holding `held` may do what needs `needed`. */
export function roleIncludes(held: Role | null, needed: Role): boolean {
  return held !== null && ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** The lower of two roles: what a credential may do when both its own role and its user's current role limit it. */
export function lowerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}
