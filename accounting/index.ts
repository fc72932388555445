/**
 * Accounting: OpenNebula importers, VM usage records, Gratia summarisation, rate cards and billing exports.
 * Its data model (`VmSegment`, `UsageSlice`) and tables are below; the stage is being built by issue 12.
 */
export { VM_STATUSES, sliceKey } from './usage-slice.js';
export type { UsageSlice, VmSegment, VmStatus } from './usage-slice.js';
export { SEGMENTS_TABLE, USAGE_TABLE, accountingMigrations, readSlices, writeSegments } from './usage-store.js';
export type { SliceChange, SliceRange } from './usage-store.js';
export { applySliceChange, defaultVmGratiaSettings, VM_RESOURCE_TYPE, vmProbeName, vmRecordId } from './gratia/index.js';
export type { ApplySliceChangeOptions, GratiaChange, SummaryDay, VmGratiaSettings } from './gratia/index.js';
export {
  CHARGE_COMPONENTS, CHARGE_TIMES, COMPONENT_UNITS, INVOICE_GROUPINGS, INVOICE_LINES_TABLE, INVOICES_TABLE, LINE_CHANGES, Money, PRICE_ATTRIBUTES,
  ROUNDING_MODES, accountOf, billingMigrations, billingPeriod, chargeAmount, chargeQuantity, compareLines, createInvoiceBuilder, diffInvoices,
  invoiceDigest, invoiceVersions, isoSeconds, listInvoices, monthSeconds, openNebulaDefaultCard, previousPeriod, priceAt, priceChangeInstants,
  rateCardClassType, rateCardOf, rateSlice, rateSlices, readInvoice, renderInvoiceCsv, renderInvoiceJson, roundLine, runBilling, saveInvoices,
} from './billing/index.js';
export type {
  BillingPeriod, BillingRunOptions, BillingRunResult, ChargeComponent, ChargeTime, Invoice, InvoiceBuilder, InvoiceDifference, InvoiceGrouping,
  InvoiceLine, InvoiceVersion, LineChange, LineDifference, PriceRule, RateCard, RateOptions, ResolvedPrice, RoundingMode, RunInterval, SaveResult,
  SliceCharge,
} from './billing/index.js';
