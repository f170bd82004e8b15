// order-workflow: a durable function (durable in lambda-invoke.local.json). Lambda only runs a
// durable function through a version or an alias, so its invocations name one (`prod`).
exports.handler = async (event, context) => {
  const orderId = typeof event?.orderId === 'string' ? event.orderId : 'unknown';
  console.log(`Order ${orderId}: workflow step 1 of version ${context.functionVersion}`);
  return { orderId, status: 'accepted', functionVersion: context.functionVersion };
};
