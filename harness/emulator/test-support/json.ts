/** Response bodies in tests: assertions walk arbitrary JSON, and a wrong path fails the test. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;
