/**
 * What goes into a line of the human log may come from a caller: a line break or other control
 * character is written as an escape, so that nobody can forge a line of their own.
 */
export function loggable(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
