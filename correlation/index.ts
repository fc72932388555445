/** The correlation engine: fault-detection rules over samples. Built by its own issue; nothing is exported yet. */
export {};
