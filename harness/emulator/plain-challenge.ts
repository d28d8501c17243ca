import { mask } from '../../wire/redact.ts';
import type { ParsedMessage, ParsedOauth } from './message-schema.ts';

/**
 * With `code_challenge_method=plain` the challenge IS the verifier (RFC 7636 §4.2), and an
 * omitted method means plain (Google's documented default). What the emulator records must
 * then treat the challenge as the secret it is (SPEC §5); the wire keeps it unchanged.
 */
export function isPlainChallenge(oauth: ParsedOauth | undefined): boolean {
  return !!oauth?.codeChallenge && oauth.codeChallengeMethod !== 'S256';
}

/** A copy of `message` with every plain challenge masked, for timelines and the view. */
export function hidePlainChallenges<T extends ParsedMessage>(message: T): T {
  if (!message.suggestions?.some((s) => isPlainChallenge(s.authenticationRequest?.oauth))) {
    return message;
  }
  return {
    ...message,
    suggestions: message.suggestions.map((s) => {
      const oauth = s.authenticationRequest?.oauth;
      if (!oauth || !isPlainChallenge(oauth)) return s;
      return {
        ...s,
        authenticationRequest: {
          ...s.authenticationRequest,
          oauth: { ...oauth, codeChallenge: mask(oauth.codeChallenge!) },
        },
      };
    }),
  };
}

/**
 * Replaces a plain challenge wherever it appears in `value` (login-step URLs, error text).
 * Too short a challenge (already rejected by any RFC 7636 provider) is left alone rather
 * than masking every occurrence of a common substring.
 */
export function scrubChallenge<T>(value: T, oauth: ParsedOauth): T {
  const challenge = oauth.codeChallenge;
  if (value === undefined || !challenge || !isPlainChallenge(oauth) || challenge.length < 16) {
    return value;
  }
  const forms = [...new Set([challenge, encodeURIComponent(challenge)])];
  const hide = (text: string) => forms.reduce((t, f) => t.split(f).join(mask(challenge)), text);
  if (typeof value === 'string') return hide(value) as T;
  const json = JSON.stringify(value);
  return json === undefined ? value : (JSON.parse(hide(json)) as T);
}
