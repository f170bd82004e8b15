// The invoke benchmark's SDK peer: the smallest honest Node script that sends one Lambda Invoke
// with @aws-sdk/client-lambda. It reads the payload file's bytes, sends them unchanged with
// InvokeCommand (credentials and region from the environment, through the SDK's default chain),
// checks the answer and writes the response payload to stdout.
//
// Usage: node sdkInvoke.mjs ENDPOINT FUNCTION_NAME PAYLOAD_FILE
// Exit codes: 0 success, 1 a function error or an unexpected status, 2 any other failure.
import { readFileSync } from 'node:fs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

async function main() {
  const [endpoint, functionName, payloadFile] = process.argv.slice(2);
  if (!endpoint || !functionName || !payloadFile) {
    process.stderr.write('usage: node sdkInvoke.mjs ENDPOINT FUNCTION_NAME PAYLOAD_FILE\n');
    return 2;
  }
  const payload = readFileSync(payloadFile);
  const client = new LambdaClient({ region: process.env.AWS_REGION, endpoint });
  try {
    const response = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: payload }));
    if (response.StatusCode !== 200 || response.FunctionError !== undefined) {
      process.stderr.write(`unexpected answer: status ${response.StatusCode}, function error ${response.FunctionError ?? 'none'}\n`);
      return 1;
    }
    process.stdout.write(response.Payload ?? new Uint8Array(0));
    return 0;
  } finally {
    client.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`sdkInvoke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
