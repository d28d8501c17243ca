/**
 * The four redirect URIs Google Business Messages uses for the authentication request
 * suggestion. Source: "Authenticate with OAuth" (shared/seeds/000_821cd3ed12c6ff37.txt,
 * https://developers.google.com/business-communications/business-messages/guides/how-to/integrate/oauth).
 *
 * They are compared byte-exact: `new URL()` would drop the lone trailing `?` of the second
 * one, so never run them through URL parsing to compare or store them.
 */
export const BUSINESS_MESSAGES_REDIRECT_URIS = [
  'https://business.google.com/callback',
  'https://business.google.com/callback?',
  'https://business.google.com/message?az-intent-type=1',
  'https://business.google.com/message?az-intent-type=1&',
] as const;

export type BusinessMessagesRedirectUri = (typeof BUSINESS_MESSAGES_REDIRECT_URIS)[number];

export function isBusinessMessagesRedirectUri(value: string): value is BusinessMessagesRedirectUri {
  return (BUSINESS_MESSAGES_REDIRECT_URIS as readonly string[]).includes(value);
}

/** True when `url` is a navigation to Google's side of the flow (where the device stops). */
export function targetsBusinessGoogle(url: string): boolean {
  return (
    url.startsWith('https://business.google.com/') || url.startsWith('http://business.google.com/')
  );
}
