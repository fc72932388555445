/** The parts the appliance builds into its `Accounting` component, in order: one line per part. */
import type { AccountingPartFactory } from './accounting-part.js';
import type { Accounting } from './create-accounting.js';
import { createExportsPart } from './exports/index.js';
import { importPart } from './import/import-part.js';
import { gratiaPart } from './gratia/index.js';

export const ACCOUNTING_PARTS: readonly AccountingPartFactory<Accounting>[] = [
  importPart,
  createExportsPart,
  gratiaPart,
];
