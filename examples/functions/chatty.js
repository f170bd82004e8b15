// chatty: writes 200 numbered console lines, about 20 KB of log, then returns { lines: 200 }.
// Far more than the 4 KB tail of X-Amz-Log-Result holds: chatty.invoke.json shows only the last
// lines in the tail, while the whole log is in the endpoint's CloudWatch Logs
// (aws logs filter-log-events --log-group-name /aws/lambda/chatty).
const LINES = 200;

exports.handler = async () => {
  for (let i = 1; i <= LINES; i++) {
    console.log(`chatty line ${i} of ${LINES}: ${'.'.repeat(24)}`);
  }
  return { lines: LINES };
};
