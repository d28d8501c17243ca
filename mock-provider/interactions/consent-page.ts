import { escapeHtml, renderPage } from './layout.ts';

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are (your account identifier)',
  profile: 'See your name and profile details',
  email: 'See your email address',
  offline_access: 'Keep access while you are not using the app',
};

export interface ConsentPageInput {
  uid: string;
  csrf: string;
  clientId: string;
  clientName: string;
  username: string;
  scopes: string[];
}

/** Consent form: hidden `csrf`, and two submit buttons `decision=allow` / `decision=deny`. */
export function renderConsentPage(input: ConsentPageInput): string {
  const items = input.scopes
    .map(
      (s) =>
        `<li><strong>${escapeHtml(s)}</strong> — ${escapeHtml(SCOPE_TEXT[s] ?? 'Application-specific access')}</li>`,
    )
    .join('\n');
  return renderPage(
    'Allow access?',
    `<h1>Allow access?</h1>
<p><strong>${escapeHtml(input.clientName)}</strong> (<code>${escapeHtml(input.clientId)}</code>) wants to access your account <strong>${escapeHtml(input.username)}</strong>:</p>
<ul>
${items}
</ul>
<form method="post" action="/interaction/${escapeHtml(input.uid)}/confirm">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );
}
