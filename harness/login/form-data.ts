import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';

/**
 * Builds a form's entry list the way a browser does on submit (WHATWG HTML
 * "constructing the entry list"), so hidden inputs such as CSRF tokens and preselected
 * options travel exactly as a browser would send them. Submit buttons contribute only
 * when they are the submitter.
 */
export type FormEntries = Array<[name: string, value: string]>;

const TEXT_LIKE = new Set(['', 'text', 'email', 'tel', 'search', 'url', 'number']);
const NEVER_SUBMITTED = new Set(['submit', 'image', 'reset', 'button', 'file']);

/** The form's controls, including those outside it that point at it with `form="id"`. */
export function formControls($: CheerioAPI, form: Element): Element[] {
  const inside = $(form).find('input, select, textarea, button').toArray();
  const id = $(form).attr('id');
  const outside = id ? $(`[form="${cssEscape(id)}"]`).toArray() : [];
  return [...inside, ...outside.filter((el) => !inside.includes(el))];
}

export function inputType($: CheerioAPI, el: Element): string {
  if (el.tagName === 'button') return ($(el).attr('type') ?? 'submit').toLowerCase();
  if (el.tagName !== 'input') return el.tagName;
  return ($(el).attr('type') ?? 'text').toLowerCase();
}

export function isTextLike($: CheerioAPI, el: Element): boolean {
  return el.tagName === 'input' && TEXT_LIKE.has(($(el).attr('type') ?? '').toLowerCase());
}

export function isSubmitControl($: CheerioAPI, el: Element): boolean {
  const type = inputType($, el);
  return (el.tagName === 'button' || el.tagName === 'input') && type === 'submit';
}

/** Entry list for `form`, with `fill` overriding values by control and `submitter` added. */
export function formEntries(
  $: CheerioAPI,
  form: Element,
  fill: Map<Element, string> = new Map(),
  submitter?: Element,
): FormEntries {
  const entries: FormEntries = [];
  for (const el of formControls($, form)) {
    const $el = $(el);
    const name = $el.attr('name');
    if (!name || $el.is('[disabled]') || $el.closest('fieldset[disabled]').length > 0) continue;
    const type = inputType($, el);
    if (el === submitter) {
      entries.push([name, $el.attr('value') ?? '']);
      continue;
    }
    if (el.tagName === 'button' || NEVER_SUBMITTED.has(type)) continue;
    if ((type === 'checkbox' || type === 'radio') && !$el.is('[checked]')) continue;
    if (el.tagName === 'select') {
      const options = $el.find('option').toArray();
      const chosen = options.filter((o) => $(o).is('[selected]'));
      const picked = chosen.length > 0 ? chosen : options.slice(0, 1);
      for (const option of picked)
        entries.push([name, $(option).attr('value') ?? $(option).text()]);
      continue;
    }
    const filled = fill.get(el);
    if (filled !== undefined) entries.push([name, filled]);
    else if (el.tagName === 'textarea') entries.push([name, $el.text()]);
    else if (type === 'checkbox' || type === 'radio')
      entries.push([name, $el.attr('value') ?? 'on']);
    else entries.push([name, $el.attr('value') ?? '']);
  }
  return entries;
}

function cssEscape(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
