// How the command line ends: exit codes, and the one error class that carries a message and a code.

/** Exit codes. */
export const EXIT = { ok: 0, badInput: 1, usage: 2, sloMissed: 3, internal: 70 } as const;

/** A failure the user can act on: printed as "shardcast: <message>" (nothing when empty), exit `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.badInput,
  ) {
    super(message);
  }
}
