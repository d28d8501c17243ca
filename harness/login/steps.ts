/** One request made by the login walker. URLs are redacted (wire/redact.ts) before storing. */
export interface HttpLoginStep {
  method: string;
  url: string;
  status: number;
  ms: number;
  note?: string;
}
