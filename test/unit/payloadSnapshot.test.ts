/**
 * What the engine sends for a payload file is what it checked: the file is read once, and a
 * change on disk between the check and the send (new bytes, or a symlink swapped in that leads
 * out of the workspace) does not change the request. Also: documents of paths with `#` or `?`
 * get a file URI that names the same file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFile, prepare, selectInvocation, toRequest } from '../../src/engine/run';

function workspace(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-snapshot-')));
}

describe('payload files: checked bytes are sent bytes', () => {
  test('bytes written to the payload file after the check are not sent', () => {
    const root = workspace();
    fs.writeFileSync(path.join(root, 'event.json'), '{"order": 1}');
    const file = path.join(root, 'a.invoke.json');
    fs.writeFileSync(file, '{"functionName": "orders", "payloadFile": "event.json"}');
    const checked = checkFile({ filePath: file, workspaceRoots: [root] });
    assert.deepEqual(checked.diagnostics, []);
    fs.writeFileSync(path.join(root, 'event.json'), '{"order": 2, "extra": "changed after the check"}');
    const request = toRequest(checked, selectInvocation(checked, {}, file));
    assert.equal(Buffer.from(request.payload).toString('utf8'), '{"order": 1}');
  });

  test('a symlink to a file outside the workspace swapped in after the check is not followed', () => {
    const root = workspace();
    const outside = workspace();
    fs.writeFileSync(path.join(outside, 'secret.json'), '{"secret": "outside the workspace"}');
    fs.writeFileSync(path.join(root, 'event.json'), '{"inside": true}');
    const file = path.join(root, 'a.invoke.json');
    fs.writeFileSync(file, '{"functionName": "orders", "payloadFile": "event.json"}');
    const checked = checkFile({ filePath: file, workspaceRoots: [root] });
    fs.rmSync(path.join(root, 'event.json'));
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'event.json'));
    const request = toRequest(checked, selectInvocation(checked, {}, file));
    assert.equal(Buffer.from(request.payload).toString('utf8'), '{"inside": true}');
    assert.doesNotMatch(Buffer.from(request.payload).toString('utf8'), /secret/);
  });

  test('the same invocation prepared twice reads the file afresh each time (a new check)', () => {
    const root = workspace();
    fs.writeFileSync(path.join(root, 'event.json'), '{"n": 1}');
    const file = path.join(root, 'a.invoke.json');
    fs.writeFileSync(file, '{"functionName": "orders", "payloadFile": "event.json"}');
    assert.equal(Buffer.from(prepare({ filePath: file, workspaceRoots: [root] }, {}).request.payload).toString(), '{"n": 1}');
    fs.writeFileSync(path.join(root, 'event.json'), '{"n": 2}');
    assert.equal(Buffer.from(prepare({ filePath: file, workspaceRoots: [root] }, {}).request.payload).toString(), '{"n": 2}');
  });
});

describe('document URIs', () => {
  for (const folder of ['orders #1', 'what?', '100% done']) {
    test(`a file in "${folder}" gets a URI that names that file`, () => {
      const root = path.join(workspace(), folder);
      fs.mkdirSync(root);
      const file = path.join(root, 'a.invoke.json');
      fs.writeFileSync(file, '{"functionName": "orders"}');
      const checked = checkFile({ filePath: file, workspaceRoots: [root] });
      assert.equal(fileURLToPath(checked.document.uri), file);
    });
  }
});
