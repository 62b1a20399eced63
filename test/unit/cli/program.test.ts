import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/io.js';
import { main } from '../../../src/cli/main.js';
import { buildProgram } from '../../../src/cli/program.js';

const ALL = ['run', 'backfill', 'verify', 'capacity', 'report', 'validate', 'presets', 'config', 'inspect', 'sink', 'schema', 'completion'];

function registered(argv: string[]): string[] {
  const io = memoryIo({ argv });
  return buildProgram(io, { io, setExitCode: () => undefined }).commands.map((c) => c.name());
}

async function output(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ argv });
  const code = await main(io);
  return { code, out: io.out(), err: io.err() };
}

describe('buildProgram: the commands a command line needs', () => {
  it.each([
    { why: 'a command line naming a command registers that command alone', argv: ['validate', '--skip-connection'], expected: ['validate'] },
    { why: '--version alone needs no command', argv: ['--version'], expected: [] },
    { why: 'the program help lists every command', argv: ['--help'], expected: ALL },
    { why: 'help <command> goes through the full program', argv: ['help', 'run'], expected: ALL },
    { why: 'an unknown command needs all of them for its did-you-mean', argv: ['valdate'], expected: ALL },
    { why: 'completion lists every command', argv: ['completion', 'bash'], expected: ALL },
    { why: 'no arguments at all: the program help', argv: [], expected: ALL },
  ])('$why', ({ argv, expected }) => {
    expect(registered(argv)).toEqual(expected);
  });

  it.each(ALL)('`%s --help` prints what `help %s` prints with every command registered', async (name) => {
    const alone = await output([name, '--help']);
    const full = await output(['help', name]);
    expect(alone.out).not.toBe('');
    expect(alone).toEqual(full);
  });

  it('--version and -V print the same line as with every command registered', async () => {
    const version = await output(['--version']);
    expect(version.code).toBe(0);
    expect(version.out).toMatch(/^trafficinator \S+ \(commit \S+, built \S+, node \S+\)\n$/);
    expect(await output(['-V'])).toEqual(version);
    // `--version` after `--help`-less other flags takes the full program; same line.
    expect((await output(['--version', '--version'])).out).toBe(version.out);
  });

  it('an unknown flag of a command is the same usage error as with every command registered', async () => {
    const alone = await output(['validate', '--skip-conection']);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain("unknown option '--skip-conection'");
    expect(alone.err).toContain('--skip-connection');
  });

  it('an unknown command still gets its did-you-mean', async () => {
    const result = await output(['valdate']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('validate');
  });
});
