/** Billing: rate cards, rating of usage slices, billing runs and versioned invoices with their differences. */
export { CHARGE_COMPONENTS, CHARGE_TIMES, COMPONENT_UNITS, Money, ROUNDING_MODES, openNebulaDefaultCard, priceAt, priceChangeInstants, roundLine } from './rate-card.js';
export type { ChargeComponent, ChargeTime, PriceRule, RateCard, ResolvedPrice, RoundingMode } from './rate-card.js';
export { PRICE_ATTRIBUTES, rateCardClassType, rateCardOf } from './rate-card-class.js';
export { chargeAmount, chargeQuantity, monthSeconds, rateSlice, rateSlices } from './rate-slices.js';
export type { RateOptions, RunInterval, SliceCharge } from './rate-slices.js';
export { billingPeriod, isoSeconds, previousPeriod } from './billing-period.js';
export type { BillingPeriod } from './billing-period.js';
export { INVOICE_GROUPINGS, compareLines, invoiceDigest, renderInvoiceCsv, renderInvoiceJson } from './invoice.js';
export type { Invoice, InvoiceGrouping, InvoiceLine } from './invoice.js';
export { accountOf, createInvoiceBuilder } from './invoice-builder.js';
export type { InvoiceBuilder } from './invoice-builder.js';
export { INVOICES_TABLE, INVOICE_LINES_TABLE, billingMigrations, invoiceVersions, listInvoices, readInvoice, saveInvoices } from './invoice-store.js';
export type { InvoiceVersion, SaveResult } from './invoice-store.js';
export { LINE_CHANGES, diffInvoices } from './invoice-diff.js';
export type { InvoiceDifference, LineChange, LineDifference } from './invoice-diff.js';
export { runBilling } from './billing-run.js';
export type { BillingRunOptions, BillingRunResult } from './billing-run.js';
