/**
 * Test kit: reads an APEL message the way APEL's loader does (record_factory.py, record.py): the header line
 * `<type>: v<version>`, then the text split on every `%%`, blank parts skipped, each line split on its first `:`, both
 * sides stripped; `NULL`, `None` and the empty string (any case) are null.
 */
export interface ParsedApelMessage {
  type: string;
  version: string;
  records: Record<string, string | null>[];
}

export function parseApelMessage(text: string): ParsedApelMessage {
  const trimmed = text.trim();
  const nl = trimmed.indexOf('\n');
  const header = nl < 0 ? trimmed : trimmed.slice(0, nl);
  const colon = header.indexOf(':');
  if (colon < 0) throw new Error(`no message header: ${header}`);
  const version = header.slice(colon + 1).trim();
  if (!/^v\d+\.\d+$/.test(version)) throw new Error(`bad header version: ${header}`);
  const records = (nl < 0 ? '' : trimmed.slice(nl + 1)).split('%%').filter((r) => r.trim() !== '').map((r) => {
    const fields: Record<string, string | null> = {};
    for (const line of r.trim().split(/\r?\n/)) {
      const at = line.indexOf(':');
      if (at < 0) throw new Error(`a record line without ':': ${line}`);
      const value = line.slice(at + 1).trim();
      fields[line.slice(0, at).trim()] = ['null', 'none', ''].includes(value.toLowerCase()) ? null : value;
    }
    return fields;
  });
  return { type: header.slice(0, colon).trim(), version: version.slice(1), records };
}
