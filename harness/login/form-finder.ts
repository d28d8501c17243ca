import { type CheerioAPI, load } from 'cheerio';
import type { Element } from 'domhandler';
import { redactUrl } from '../../wire/redact.ts';
import { cssPath } from './css-path.ts';
import {
  classifyChoice,
  controlLabel,
  isUsernameField,
  looksLikeSignIn,
  pickUsernameField,
} from './controls.ts';
import {
  type FormEntries,
  formControls,
  formEntries,
  inputType,
  isSubmitControl,
} from './form-data.ts';

/** A request the page asks for: a form submission or a link/refresh navigation. */
export interface PageRequest {
  method: 'GET' | 'POST';
  /** Absolute URL. */
  url: string;
  /** The URL exactly as written in the markup (action, href or refresh target). */
  rawUrl: string;
  body?: URLSearchParams | FormData;
  /** Field names submitted, for step notes (values are never recorded). */
  fieldNames: string[];
  /** How to do the same on a live page: fields to type into, then the control to click. */
  dom: DomHints;
}

export interface DomHints {
  fill: Array<{ selector: string; value: string }>;
  /** The submit button or link; absent when the form has none (submit the form itself). */
  click?: string;
  form?: string;
}

export type PageAction =
  | { kind: 'login'; request: PageRequest; usernameField?: string }
  | { kind: 'identifier'; request: PageRequest; usernameField: string }
  | { kind: 'consent'; request: PageRequest; choice: 'allow' | 'deny'; control: string }
  | { kind: 'consent-choice-missing'; wanted: 'allow' | 'deny'; available: string[] }
  | { kind: 'auto-post'; request: PageRequest }
  | { kind: 'meta-refresh'; request: PageRequest }
  | { kind: 'none' };

export interface PageInput {
  username: string;
  password: string;
  consent: 'allow' | 'deny';
}

export interface AnalysedPage {
  action: PageAction;
  /** Title and visible text, whitespace-collapsed, redacted, at most 300 characters. */
  text: string;
}

/** Longest interstitial delay still treated as an automatic navigation. */
const MAX_REFRESH_SECONDS = 10;

/**
 * Reads a page the walker has never seen and decides what a person would do on it, in this
 * order: sign in (a form with a password field), give a username (identifier-first logins),
 * answer a consent prompt, submit an auto-post form (hidden inputs only), follow a meta
 * refresh. Anything else is a dead end (an error page) and yields `none`.
 */
export function analysePage(html: string, pageUrl: string, input: PageInput): AnalysedPage {
  const $ = load(html);
  const text = redactUrl(
    `${$('title').text()} ${$('body').text()}`.replace(/\s+/g, ' ').trim().slice(0, 300),
  );
  const baseHref = $('base[href]').attr('href');
  const base = baseHref ? (safeResolve(baseHref, pageUrl) ?? pageUrl) : pageUrl;
  const ctx: Ctx = { $, pageUrl, base, input };
  const forms = $('form').toArray();
  const action = findLogin(ctx, forms) ??
    findIdentifier(ctx, forms) ??
    findConsent(ctx, forms) ??
    findAutoPost(ctx, forms) ??
    findMetaRefresh(ctx) ?? { kind: 'none' as const };
  return { action, text };
}

interface Ctx {
  $: CheerioAPI;
  pageUrl: string;
  base: string;
  input: PageInput;
}

function findLogin(ctx: Ctx, forms: Element[]): PageAction | undefined {
  const { $ } = ctx;
  const candidates = forms.filter((f) =>
    formControls($, f).some((el) => inputType($, el) === 'password'),
  );
  // Several password forms (sign-in beside sign-up): prefer the one with a username field.
  const form =
    candidates.find((f) => formControls($, f).some((el) => isUsernameField($, el))) ??
    candidates[0];
  if (!form) return undefined;
  const controls = formControls($, form);
  const fill = new Map<Element, string>();
  const userField = pickUsernameField($, controls);
  if (userField) fill.set(userField, ctx.input.username);
  const password = controls.find((el) => inputType($, el) === 'password' && $(el).attr('name'));
  if (password) fill.set(password, ctx.input.password);
  const submitter = pickSubmitter(ctx, controls);
  const entries = formEntries($, form, fill, submitter);
  return {
    kind: 'login',
    request: formRequest(ctx, form, entries, submitter, fill),
    usernameField: userField ? $(userField).attr('name') : undefined,
  };
}

function findIdentifier(ctx: Ctx, forms: Element[]): PageAction | undefined {
  const { $ } = ctx;
  for (const form of forms) {
    const controls = formControls($, form);
    const userField = controls.find((el) => isUsernameField($, el) && $(el).attr('name'));
    if (!userField) continue;
    const submitter = pickSubmitter(ctx, controls);
    const fill = new Map([[userField, ctx.input.username]]);
    const entries = formEntries($, form, fill, submitter);
    const request = formRequest(ctx, form, entries, submitter, fill);
    return { kind: 'identifier', request, usernameField: $(userField).attr('name') ?? '' };
  }
  return undefined;
}

function findConsent(ctx: Ctx, forms: Element[]): PageAction | undefined {
  const { $ } = ctx;
  const choices: Array<{ choice: 'allow' | 'deny'; label: string; el: Element; form?: Element }> =
    [];
  for (const form of forms) {
    for (const el of formControls($, form).filter((c) => isSubmitControl($, c))) {
      const label = controlLabel($, el);
      const choice = classifyChoice(label);
      if (choice) choices.push({ choice, label, el, form });
    }
  }
  // Some consent pages offer "Cancel" as a plain link rather than a button.
  for (const el of $('a[href]').toArray()) {
    const label = controlLabel($, el);
    const choice = classifyChoice(label);
    if (choice) choices.push({ choice, label, el });
  }
  if (!choices.some((c) => c.form)) return undefined;
  const wanted = ctx.input.consent;
  const pick =
    choices.find((c) => c.choice === wanted && c.form) ?? choices.find((c) => c.choice === wanted);
  if (!pick)
    return { kind: 'consent-choice-missing', wanted, available: choices.map((c) => c.label) };
  if (!pick.form) {
    const href = $(pick.el).attr('href') ?? '';
    const request = { ...getRequest(ctx, href), dom: { fill: [], click: cssPath(pick.el) } };
    return { kind: 'consent', choice: wanted, control: pick.label, request };
  }
  const entries = formEntries($, pick.form, new Map(), pick.el);
  const request = formRequest(ctx, pick.form, entries, pick.el);
  return { kind: 'consent', choice: wanted, control: pick.label, request };
}

function findAutoPost(ctx: Ctx, forms: Element[]): PageAction | undefined {
  const { $ } = ctx;
  for (const form of forms) {
    const controls = formControls($, form);
    const visible = controls.filter((el) => {
      const type = inputType($, el);
      return type !== 'hidden' && !isSubmitControl($, el) && type !== 'button';
    });
    const hidden = controls.filter((el) => inputType($, el) === 'hidden');
    const submits = controls.filter((el) => isSubmitControl($, el));
    if (visible.length > 0 || hidden.length === 0 || submits.length > 1) continue;
    const entries = formEntries($, form, new Map(), submits[0]);
    return { kind: 'auto-post', request: formRequest(ctx, form, entries, submits[0]) };
  }
  return undefined;
}

function findMetaRefresh(ctx: Ctx): PageAction | undefined {
  const { $ } = ctx;
  const content = $('meta[http-equiv]')
    .toArray()
    .find((m) => ($(m).attr('http-equiv') ?? '').toLowerCase() === 'refresh');
  if (!content) return undefined;
  const match = /^\s*(\d+(?:\.\d*)?)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$/i.exec(
    $(content).attr('content') ?? '',
  );
  const seconds = Number(match?.[1] ?? '0');
  const target = (match?.[2] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2');
  if (!target || seconds > MAX_REFRESH_SECONDS) return undefined;
  return { kind: 'meta-refresh', request: getRequest(ctx, target) };
}

/** The button a browser would use: a sign-in-looking one, else the first non-refusal one. */
function pickSubmitter(ctx: Ctx, controls: Element[]): Element | undefined {
  const { $ } = ctx;
  const submits = controls.filter((el) => isSubmitControl($, el));
  return (
    submits.find((el) => looksLikeSignIn(controlLabel($, el))) ??
    submits.find((el) => classifyChoice(controlLabel($, el)) !== 'deny') ??
    submits[0]
  );
}

function formRequest(
  ctx: Ctx,
  form: Element,
  entries: FormEntries,
  submitter: Element | undefined,
  fill: Map<Element, string> = new Map(),
): PageRequest {
  const { $ } = ctx;
  const dom: DomHints = {
    fill: [...fill].map(([el, value]) => ({ selector: cssPath(el), value })),
    click: submitter ? cssPath(submitter) : undefined,
    form: cssPath(form),
  };
  const attr = (name: string): string | undefined =>
    (submitter ? $(submitter).attr(`form${name}`) : undefined) ?? $(form).attr(name);
  const rawUrl = (attr('action') ?? '').trim();
  const url = rawUrl === '' ? ctx.pageUrl : (safeResolve(rawUrl, ctx.base) ?? ctx.pageUrl);
  const method = (attr('method') ?? 'get').toLowerCase() === 'post' ? 'POST' : 'GET';
  const fieldNames = entries.map(([name]) => name);
  if (method === 'GET') {
    // HTML "mutate action URL": the entry list replaces the action's query.
    const target = new URL(url);
    target.search = new URLSearchParams(entries).toString();
    return { method, url: target.href, rawUrl, fieldNames, dom };
  }
  const multipart = (attr('enctype') ?? '').toLowerCase() === 'multipart/form-data';
  const body = multipart ? new FormData() : new URLSearchParams();
  for (const [name, value] of entries) body.append(name, value);
  return { method, url, rawUrl, body, fieldNames, dom };
}

function getRequest(ctx: Ctx, rawUrl: string): PageRequest {
  return {
    method: 'GET',
    url: safeResolve(rawUrl, ctx.base) ?? ctx.pageUrl,
    rawUrl,
    fieldNames: [],
    dom: { fill: [] },
  };
}

function safeResolve(url: string, base: string): string | undefined {
  try {
    return new URL(url, base).href;
  } catch {
    return undefined;
  }
}
