/** The `Accounting` class type: the accounting time zone day slices are cut in, and the upload and record limits. */
import { IANAZone } from 'luxon';
import { objectsOfType, warnUnknownAttribute, type ClassTypeHandler, type LoadedConfig } from '../grammar/index.js';

/** The accounting stage's own settings; built by `accountingClassType` or by hand (tests). */
export interface AccountingSettings {
  /** The IANA zone whose local midnights cut segments into day slices (and billing months into days). */
  timeZone: string;
  /** The largest OpenNebula XML upload (`POST /api/v1/accounting/opennebula`) read, in bytes; more is a 413. */
  maxUploadBytes: number;
  /** The largest single record (one HISTORY, or one VM with its history) read from any import, in bytes. */
  maxRecordBytes: number;
}

export function defaultAccountingSettings(): AccountingSettings {
  return { timeZone: 'UTC', maxUploadBytes: 64 * 1024 * 1024, maxRecordBytes: 4 * 1024 * 1024 };
}

const ATTRIBUTES = ['time_zone', 'max_upload_mb', 'max_record_kb'] as const;

/** `<class type="Accounting">` with `time_zone`, `max_upload_mb`, `max_record_kb` (see `config/accounting.xml`). */
export const accountingClassType: ClassTypeHandler<AccountingSettings> & { defaults(): AccountingSettings } = {
  type: 'Accounting',
  defaults: defaultAccountingSettings,
  build(cls, ctx) {
    const label = `Accounting "${cls.name}"`;
    const s = defaultAccountingSettings();
    for (const [name, attr] of Object.entries(cls.attributes)) {
      const value = ctx.expand(attr.value, attr.pos).trim();
      switch (name as (typeof ATTRIBUTES)[number]) {
        case 'time_zone':
          if (IANAZone.isValidZone(value)) s.timeZone = value;
          else ctx.issue(attr.pos, `${label}: time_zone "${value}" is not an IANA time zone (such as UTC or Europe/Berlin)`);
          break;
        case 'max_upload_mb': {
          const n = /^\d+$/.test(value) ? Number(value) : NaN;
          if (n >= 1 && n <= 4096) s.maxUploadBytes = n * 1024 * 1024;
          else ctx.issue(attr.pos, `${label}: max_upload_mb "${value}" is not a whole number of megabytes from 1 to 4096`);
          break;
        }
        case 'max_record_kb': {
          const n = /^\d+$/.test(value) ? Number(value) : NaN;
          if (n >= 16 && n <= 65_536) s.maxRecordBytes = n * 1024;
          else ctx.issue(attr.pos, `${label}: max_record_kb "${value}" is not a whole number of kilobytes from 16 to 65536`);
          break;
        }
        default:
          warnUnknownAttribute(name, attr.pos, ATTRIBUTES, label, ctx);
      }
    }
    return s;
  },
};

/** The settings of a loaded configuration's first `Accounting` class, or the defaults. */
export function accountingSettingsOf(config: LoadedConfig): AccountingSettings {
  return objectsOfType<AccountingSettings>(config, 'Accounting')[0]?.value ?? defaultAccountingSettings();
}
