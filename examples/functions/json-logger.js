// json-logger: a function whose log format is JSON ("logFormat": "JSON" in
// lambda-invoke.local.json). Lambda then writes each console call as one JSON object
// ({"timestamp","level","requestId","message"}) and START/END/REPORT as platform.start,
// platform.runtimeDone and platform.report records, so CloudWatch filters such as
// { $.requestId = "…" } || { $.record.requestId = "…" } find an invocation's lines.
exports.handler = async (event) => {
  const orderId = typeof event?.orderId === 'string' ? event.orderId : 'unknown';
  console.log(`Received order ${orderId}`);
  console.warn(`Order ${orderId} has no delivery date yet`);
  return { orderId, logged: 2 };
};
