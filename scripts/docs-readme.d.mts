export const COMMANDS: string[];
export function helpBlock(cli?: string[]): string;
export function referenceBlock(): string;
export function splice(text: string, name: string, body: string): string;
export function blockOf(text: string, name: string): string;
