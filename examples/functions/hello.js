// hello: greets event.name. An async handler; its console.log line shows in the log
// (between START and END) and in the Tail log of hello.invoke.json.
exports.handler = async (event, context) => {
  const name = typeof event?.name === 'string' && event.name !== '' ? event.name : 'world';
  console.log(`Saying hello to ${name} from version ${context.functionVersion}`);
  return {
    message: `${process.env.GREETING ?? 'Hello'}, ${name}!`,
    functionVersion: context.functionVersion,
    requestId: context.awsRequestId,
  };
};
