import { parseFunctionName } from '../../server/src/language/functionName';
for (const s of ['my-function-2:prod','us-west-2:123456789012:function:f','us-west-2:my-function:prod','eusc-de-east-1:function:f','us-west-2:function:f:1','arn:aws:lambda:us-west-2:123456789012:function:f', 'us-west-2:my-function']) console.log(s, parseFunctionName(s));
