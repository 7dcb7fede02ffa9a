/**
 * Monitoring, cross-remittance linking, dispute deadlines and the month-end control report: the pure,
 * I/O-free core the Worker (endpoints, cron, outgoing webhook) and the add-in call.
 */
export * from "./alerts";
export * from "./disputes";
export * from "./drift";
export * from "./health";
export * from "./history";
export * from "./month-end";
export * from "./webhook";
