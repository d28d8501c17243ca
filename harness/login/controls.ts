import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { isTextLike } from './form-data.ts';

/**
 * Word-level heuristics that recognise form controls by what a person would read: a
 * username field, a sign-in button, an Allow or a Deny choice. They are applied to markup
 * the harness has never seen, so they look at every label source a provider might use.
 */

const USERNAME_HINT = /user|login|email|e-mail|identifier|account|uid|principal/i;
const ALLOW_WORDS =
  /\b(allow|accept|approve|authori[sz]e|continue|yes|agree|grant|confirm|ok|permit)\b/i;
const DENY_WORDS =
  /\b(deny|cancel|reject|decline|no|disallow|refuse|abort|dismiss)\b|\bdon'?t\b|\bdo not\b|\bnot now\b/i;
const SIGN_IN_WORDS = /\b(sign[\s-]?in|log[\s-]?in|submit|continue|next|enter)\b/i;

/** Everything that names a control: its text, value, name, id, aria-label and title. */
export function controlLabel($: CheerioAPI, el: Element): string {
  const $el = $(el);
  const words = [$el.text(), $el.attr('value'), $el.attr('aria-label'), $el.attr('title')];
  // Identifiers use separators instead of spaces ("deny_button"); split them into words.
  for (const id of [$el.attr('name'), $el.attr('id')]) words.push(id?.replace(/[_\-.]+/g, ' '));
  return words
    .filter((w): w is string => Boolean(w))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Deny wins over allow so that "Don't allow" and "No, cancel" are read as refusals. */
export function classifyChoice(label: string): 'allow' | 'deny' | undefined {
  const words = label.replace(/[_.]+/g, ' ');
  if (DENY_WORDS.test(words)) return 'deny';
  if (ALLOW_WORDS.test(words)) return 'allow';
  return undefined;
}

export function looksLikeSignIn(label: string): boolean {
  return SIGN_IN_WORDS.test(label);
}

/** A visible text field whose name, id or autocomplete says it holds the account name. */
export function isUsernameField($: CheerioAPI, el: Element): boolean {
  if (!isTextLike($, el)) return false;
  const $el = $(el);
  if (($el.attr('type') ?? '').toLowerCase() === 'email') return true;
  const hints = [$el.attr('name'), $el.attr('id'), $el.attr('autocomplete')];
  return hints.some((h) => h !== undefined && USERNAME_HINT.test(h));
}

/** The field to put the username in: the named one, else the first visible text input. */
export function pickUsernameField(
  $: CheerioAPI,
  controls: readonly Element[],
): Element | undefined {
  const named = controls.find((el) => isUsernameField($, el) && $(el).attr('name'));
  return named ?? controls.find((el) => isTextLike($, el) && $(el).attr('name'));
}
