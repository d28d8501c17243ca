import { ControlRequestError } from './errors.ts';

/**
 * Switches that turn the mock into a broken provider, so the partner validator can be tested
 * against each defect. All off by default; each changes what goes over the wire.
 */
export interface MisbehaveSwitches {
  /** Accept a redirect_uri that has a registered one as prefix or as query subset. */
  lenientRedirect: boolean;
  /** Ignore PKCE entirely: no challenge needed, any (or no) verifier accepted. */
  pkceNotEnforced: boolean;
  /** Accept `code_challenge_method=plain` (and a challenge without a method, RFC 7636 §4.3 default). */
  allowPlainPkce: boolean;
  /** Authorization codes can be exchanged more than once. */
  reusableCodes: boolean;
  /**
   * Token endpoint errors that violate RFC 6749 §5.2: `'message'` answers `{"message": …}`
   * without an `error` member; `'html'` answers 200 with an HTML page. `true` means `'message'`.
   */
  nonStandardErrors: false | 'message' | 'html';
}

export type MisbehaveInput = Partial<Omit<MisbehaveSwitches, 'nonStandardErrors'>> & {
  nonStandardErrors?: boolean | 'message' | 'html';
};

export const MISBEHAVE_OFF: Readonly<MisbehaveSwitches> = Object.freeze({
  lenientRedirect: false,
  pkceNotEnforced: false,
  allowPlainPkce: false,
  reusableCodes: false,
  nonStandardErrors: false,
});

const BOOLEAN_KEYS = [
  'lenientRedirect',
  'pkceNotEnforced',
  'allowPlainPkce',
  'reusableCodes',
] as const;

/** Runtime state of the switches (read on every request, so changes apply immediately). */
export class MisbehaveState {
  #current: MisbehaveSwitches = { ...MISBEHAVE_OFF };

  constructor(initial?: MisbehaveInput) {
    if (initial) this.set(initial);
  }

  get(): MisbehaveSwitches {
    return { ...this.#current };
  }

  get current(): Readonly<MisbehaveSwitches> {
    return this.#current;
  }

  /** Merges `patch` into the current switches; rejects unknown keys and wrong types. */
  set(patch: MisbehaveInput): MisbehaveSwitches {
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
      throw new ControlRequestError('misbehave: expected a JSON object of switches');
    }
    const next = { ...this.#current };
    for (const [key, value] of Object.entries(patch)) {
      if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
        if (typeof value !== 'boolean') {
          throw new ControlRequestError(`misbehave.${key}: expected true or false`);
        }
        next[key as (typeof BOOLEAN_KEYS)[number]] = value;
      } else if (key === 'nonStandardErrors') {
        if (value === true) next.nonStandardErrors = 'message';
        else if (value === false || value === 'message' || value === 'html') {
          next.nonStandardErrors = value;
        } else {
          throw new ControlRequestError(
            'misbehave.nonStandardErrors: expected false, true, "message" or "html"',
          );
        }
      } else {
        throw new ControlRequestError(
          `misbehave: unknown switch "${key}" (known: ${[...BOOLEAN_KEYS, 'nonStandardErrors'].join(', ')})`,
        );
      }
    }
    this.#current = next;
    return this.get();
  }

  reset(): MisbehaveSwitches {
    this.#current = { ...MISBEHAVE_OFF };
    return this.get();
  }
}
