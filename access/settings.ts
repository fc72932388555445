/** Access settings and the `Users` class type that builds them from GraphTool XML configuration. */
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseBoolean, warnUnknownAttributes, type BuildContext, type ClassTypeHandler, type SourcePos } from '../grammar/index.js';
import { isRole, ROLES, type Role } from './roles.js';

/** What the access stage needs to know; built by `usersClassType` or written by hand (tests, defaults). */
export interface AccessSettings {
  /**
   * The htpasswd-format users file. Unset or empty: no users file, so nobody logs in with a password (API tokens
   * still work). The CLI's `--users FILE` / `APPLIANCE_USERS_FILE` replaces the configured value.
   */
  usersFile?: string | undefined;
  /** Graph pages and data are readable without logging in (`requireRead` lets anonymous requests through). */
  anonymousRead: boolean;
  /** The role of a user in the users file who is listed in no `<role>`. */
  defaultRole: Role;
  /** How long a login session lasts, from login (not extended by use). */
  sessionHours: number;
  /** User name → role, from the `<role name="...">` elements. */
  roles: Readonly<Record<string, Role>>;
}

/** The settings of an empty `Users` class, and of a configuration without one: no users file, reading open to all. */
function defaultSettings(): AccessSettings {
  // Graph pages and data URLs are readable without login unless a site turns it off (issue 2's default).
  return { usersFile: undefined, anonymousRead: true, defaultRole: 'viewer', sessionHours: 12, roles: {} };
}

const KNOWN_ATTRIBUTES = ['users_file', 'anonymous_read', 'default_role', 'session_hours'] as const;
const MAX_SESSION_HOURS = 24 * 366;

/**
 * The `Users` class type:
 * `<attribute name="users_file|anonymous_read|default_role|session_hours">` and `<role name="ROLE">user, user</role>`.
 * A relative `users_file` is relative to the configuration file that names it. `defaults()` gives the settings
 * to use when the configuration has no `Users` class.
 */
export const usersClassType: ClassTypeHandler<AccessSettings> & { defaults(): AccessSettings } = {
  type: 'Users',
  defaults: defaultSettings,
  build(cls, ctx) {
    const label = `Users "${cls.name}"`;
    const attr = cls.attributes;
    warnUnknownAttributes(cls, KNOWN_ATTRIBUTES, label, ctx);
    const settings = defaultSettings();

    const file = attr.users_file;
    if (file) {
      const expanded = ctx.expand(file.value, file.pos).trim();
      // An unset variable was reported by expand and left as written; a path that names it would only mislead.
      if (expanded && !/\$\{?[A-Za-z_]/.test(expanded)) {
        settings.usersFile = isAbsolute(expanded) ? expanded : resolve(dirname(cls.pos.file), expanded);
      }
    }
    const anonymous = attr.anonymous_read;
    if (anonymous) settings.anonymousRead = parseBoolean(anonymous.value, anonymous.pos, `${label}: anonymous_read`, ctx) ?? settings.anonymousRead;
    const defaultRole = attr.default_role;
    if (defaultRole) settings.defaultRole = parseRole(defaultRole.value, defaultRole.pos, `${label}: default_role`, ctx) ?? settings.defaultRole;
    const hours = attr.session_hours;
    if (hours) {
      const n = /^\d+(\.\d+)?$/.test(hours.value) ? Number(hours.value) : NaN;
      if (n > 0 && n <= MAX_SESSION_HOURS) settings.sessionHours = n;
      else ctx.issue(hours.pos, `${label}: session_hours "${hours.value}" is not a number of hours between 0 and ${MAX_SESSION_HOURS}`);
    }

    const roles: Record<string, Role> = {};
    for (const el of cls.node.children) {
      if (el.tag === 'attribute') continue;
      if (el.tag !== 'role') {
        ctx.issue(el.pos, `${label}: unknown element <${el.tag}>; use <attribute> or <role>`, 'warning');
        continue;
      }
      const role = el.attrs.name === undefined
        ? (ctx.issue(el.pos, `${label}: <role> needs name="${ROLES.join('|')}"`), undefined)
        : parseRole(el.attrs.name, el.pos, `${label}: <role>`, ctx);
      const users = el.text.split(/[\s,]+/).filter(Boolean);
      if (!users.length) ctx.issue(el.pos, `${label}: <role name="${el.attrs.name ?? ''}"> lists no users`, 'warning');
      if (!role) continue;
      for (const user of users) {
        const before = Object.hasOwn(roles, user) ? roles[user] : undefined;
        // Two roles for one user is ambiguous in the one place where ambiguity must not be settled silently.
        if (before !== undefined) ctx.issue(el.pos, `${label}: user "${user}" is listed as both ${before} and ${role}; list each user once`);
        else roles[user] = role;
      }
    }
    settings.roles = roles;
    return settings;
  },
};

function parseRole(text: string, pos: SourcePos, what: string, ctx: BuildContext): Role | undefined {
  if (isRole(text)) return text;
  ctx.issue(pos, `${what}: unknown role "${text}"; use one of ${ROLES.join(', ')}`);
  return undefined;
}
