/** Which host and service names can be written into a Nagios object file as they are, and why not the others. */

/** Debian's (and the sample config's) `illegal_object_name_chars`, used when nagios.cfg does not set it. */
export const DEFAULT_ILLEGAL_OBJECT_NAME_CHARS = "`~!$%^&*|'\"<>?,()=";

/**
 * Why `name` cannot be a host name or service description in the generated file, or undefined when it can. Beyond
 * Nagios's `illegal_object_name_chars`, the object file's own syntax rules: `;` starts a comment, a line break ends
 * the directive, `,` separates list items (host_name, members), a leading `+` means additive inheritance, a leading
 * `!` an exclusion, `null` cancels an inherited value, and a trailing `\` continues the line.
 */
export function unsafeNameReason(name: string, illegalChars: string = DEFAULT_ILLEGAL_OBJECT_NAME_CHARS): string | undefined {
  if (name === '') return 'it is empty';
  if (name.trim() !== name) return 'it begins or ends with white space';
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f]/.exec(name);
  if (control) return `it holds control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
  if (name.includes(';')) return 'it holds ";", which starts a comment in an object file';
  if (name.includes(',')) return 'it holds ",", which separates names in object lists';
  for (const c of illegalChars) if (name.includes(c)) return `it holds "${c}", one of Nagios's illegal_object_name_chars`;
  if (name.startsWith('+')) return 'it begins with "+", which Nagios reads as additive inheritance';
  if (name.startsWith('!')) return 'it begins with "!", which Nagios reads as an exclusion';
  if (name.endsWith('\\')) return 'it ends with "\\", which continues the line';
  if (name === 'null') return 'Nagios reads "null" as no value';
  return undefined;
}
