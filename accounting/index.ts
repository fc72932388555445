/**
 * Accounting: OpenNebula importers, VM usage records, Gratia summarisation, rate cards and billing exports.
 * Built by its own issue; nothing is exported yet.
 */
export {};
