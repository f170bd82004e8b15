// tenant-greeting: a tenant-isolated function (tenancy PER_TENANT in lambda-invoke.local.json).
// Lambda runs each tenant in its own execution environments and tells the handler which tenant
// it serves; an invocation without a tenant id is refused before it runs.
exports.handler = async (event, context) => {
  console.log(`Serving tenant ${context.tenantId}`);
  return { message: `Hello, ${context.tenantId}!`, tenantId: context.tenantId, event };
};
