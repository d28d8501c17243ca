import { isSecretKey, mask, redactUrl } from '../../wire/redact.ts';

/**
 * redactUrl, plus parameters hidden behind malformed separators (`callback??code=…`,
 * `type=1?code=…`): exactly the broken redirects the validator reports must not leak the
 * code they carry.
 */
export function redactUrlStrict(url: string): string {
  return redactUrl(url).replace(
    /([?&#])([^=&#?\s]+)=([^&#?\s]*)/g,
    (whole, sep: string, key: string, value: string) =>
      isSecretKey(key) && value && !value.startsWith('[redacted')
        ? `${sep}${key}=${mask(value)}`
        : whole,
  );
}
