// echo-context: returns what Lambda tells the function about the call, above all
// context.clientContext, decoded from the X-Amz-Client-Context header of a synchronous call.
exports.handler = (event, context, callback) => {
  callback(null, {
    clientContext: context.clientContext ?? null,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    event,
  });
};
