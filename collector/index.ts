/**
 * The collector: where monitoring data enters (RSV/WLCG probe records, InfluxDB line protocol, samples,
 * the sensor agent) and the monitoring repository. Built by the collector issue; nothing is exported yet.
 */
export {};
