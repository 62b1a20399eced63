export const COMMANDS: string[];
export function cliReference(cli?: string[]): string;
export function schemaFiles(): Promise<Record<string, string>>;
