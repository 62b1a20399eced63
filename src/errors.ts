/**
 * Exit codes of every command. One table, one exit (cli/bin.ts): everything else throws a
 * TrafficError or returns a code.
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  /** Bad usage, invalid configuration or unreachable target: nothing was sent. */
  usage: 2,
  /** Thresholds breached, or work known to be lost. */
  incomplete: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the user can act on: printed as one line, never with a stack trace. */
export class TrafficError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong flag, value, file or configuration. Exit 2. */
export class UsageError extends TrafficError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** The Matomo target cannot be reached or refuses us before anything is sent. Exit 2. */
export class TargetError extends TrafficError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

