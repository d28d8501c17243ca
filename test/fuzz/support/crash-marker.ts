/** What the fuzz target process writes on stderr for an unhandled rejection or exception. */
export const CRASH_MARKER = '[fuzz-target] UNHANDLED';
