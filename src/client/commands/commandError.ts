/**
 * A failure a command reports to the user as it is: its message already says what happened and
 * what to do (commands.ts shows any other error as a failure of the command).
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}
