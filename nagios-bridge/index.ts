/**
 * The Nagios bridge: the cmd.cgi-compatible endpoint, the durable outbox and the transports to Nagios 4 and
 * Icinga 2. Built by its own issue; nothing is exported yet.
 */
export {};
