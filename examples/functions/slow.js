// slow: works for event.seconds seconds (5 by default), but its timeout in
// lambda-invoke.local.json is 1 second, so Lambda stops it: "Task timed out after 1.00 seconds".
// A callback-style handler: the result is passed to callback() instead of returned.
exports.handler = (event, context, callback) => {
  const seconds = typeof event?.seconds === 'number' ? event.seconds : 5;
  console.log(`Starting a ${seconds} s job with ${context.getRemainingTimeInMillis()} ms left`);
  setTimeout(() => callback(null, { done: true, seconds }), seconds * 1000);
};
