/**
 * Accounting: OpenNebula importers, VM usage records, Gratia summarisation, rate cards and billing exports.
 * Its data model (`VmSegment`, `UsageSlice`) and tables, the `Accounting` component and the hook its parts hang on.
 */
export { VM_STATUSES, sliceKey } from './usage-slice.js';
export type { UsageSlice, VmSegment, VmStatus } from './usage-slice.js';
export { SEGMENTS_TABLE, USAGE_TABLE, accountingMigrations, readSlices, writeSegments } from './usage-store.js';
export type { SliceChange, SliceRange } from './usage-store.js';
export { applySliceChange, defaultVmGratiaSettings, gratiaPart, topVms, usageByGroup, usageRange, VM_RESOURCE_TYPE, vmGratiaClassType, vmGratiaSettingsOf, vmProbeName, vmRecordId } from './gratia/index.js';
export type { ApplySliceChangeOptions, GratiaChange, SummaryDay, VmGratiaSettings } from './gratia/index.js';
export {
  CHARGE_COMPONENTS, CHARGE_TIMES, COMPONENT_UNITS, INVOICE_GROUPINGS, INVOICE_LINES_TABLE, INVOICES_TABLE, LINE_CHANGES, Money, PRICE_ATTRIBUTES,
  ROUNDING_MODES, accountOf, billCommand, billingCardOf, billingMigrations, groupingOf, billingPeriod, chargeAmount, chargeQuantity, compareLines, createInvoiceBuilder, diffInvoices,
  invoiceDigest, invoiceVersions, isoSeconds, listInvoices, monthSeconds, openNebulaDefaultCard, previousPeriod, priceAt, priceChangeInstants,
  rateCardClassType, rateCardOf, rateSlice, rateSlices, readInvoice, renderInvoiceCsv, renderInvoiceJson, roundLine, runBilling, saveInvoices,
} from './billing/index.js';
export type {
  BillCommandOptions, BillingPeriod, BillingRunOptions, BillingRunResult, ChargeComponent, ChargeTime, Invoice, InvoiceBuilder, InvoiceDifference, InvoiceGrouping,
  InvoiceLine, InvoiceVersion, LineChange, LineDifference, PriceRule, RateCard, RateOptions, ResolvedPrice, RoundingMode, RunInterval, SaveResult,
  SliceCharge,
} from './billing/index.js';
export { createAccounting } from './create-accounting.js';
export type { Accounting, AccountingOptions } from './create-accounting.js';
export type { AccountingDeps, AccountingLink, AccountingPart, AccountingPartFactory } from './accounting-part.js';
export { ACCOUNTING_PARTS } from './accounting-parts.js';
export { accountingClassType, accountingSettingsOf, defaultAccountingSettings } from './settings.js';
export type { AccountingSettings } from './settings.js';
export type { SliceContext, SliceListener } from './slice-listener.js';
export { ImportFailed, importOpenNebulaXml, XmlSyntaxError } from './import/import-opennebula-xml.js';
export type { ImportInput, ImportOptions, ImportReport } from './import/import-opennebula-xml.js';
export { IMPORTS_TABLE, IMPORT_ISSUES_TABLE, importHistoryMigrations, listImports, readImport, readIssues } from './import/import-store.js';
export type { ImportIssue, ImportSummary } from './import/import-store.js';
export { UPLOAD_PATHS as ACCOUNTING_SELF_PARSED_PATHS } from './import/import-part.js';

export { openNebulaSourceClassType, openNebulaSourcesOf } from './opennebula-source.js';
export type { OpenNebulaSourceSettings } from './opennebula-source.js';
export { clientOf, pullCursorName, pullEndpoint, pullWindow } from './opennebula-pull.js';
export type { PullDeps, PullImporter, PullOutcome } from './opennebula-pull.js';
export { createPullScheduler } from './opennebula-pull-schedule.js';
export type { EndpointStanding, PullScheduler, PullSchedulerOptions } from './opennebula-pull-schedule.js';
export { openNebulaPullMigrations, PULL_STATUSES, PULLS_TABLE, recentPulls } from './opennebula-pull-store.js';
export type { PullRow, PullStatus } from './opennebula-pull-store.js';

import { accountingClassType } from './settings.js';
import { rateCardClassType } from './billing/index.js';
import { accountingExportClassType } from './exports/index.js';
import { vmGratiaClassType } from './gratia/index.js';
/** The class types of the accounting stage (`Accounting`; its parts add theirs: `OpenNebulaSource`, `RateCard`, ...). */
export const ACCOUNTING_CLASS_TYPES = [accountingClassType, accountingExportClassType, rateCardClassType, vmGratiaClassType] as const;
export {
  accountingExportClassType, accountingExportOf, apelMessage, apelMessages, createExportsPart, apelRecordsOfMonth, APEL_VERSIONS, addSsmMessage, carUsageRecords, exportDocument, EXPORT_FORMATS,
  exportSettings, gratiaDuration, gratiaUsageRecords, monthsBetween, parseExportRequest, parseMonth, periodUsage, republishApel,
  slicesCsv, slicesJson, usageCsv, usageJson, chargesCsv, chargesJson, periodCharges, CHARGE_COLUMNS,
} from './exports/index.js';
export type { AccountingExportConfig, ApelCloudRecord, ApelRepublishReport, ApelVersion, ExportDocument, ExportFormat, ExportMonth, ExportRequest, ExportSettings } from './exports/index.js';
