import { escapeHtml, renderPage } from './layout.ts';

export interface LoginPageInput {
  uid: string;
  csrf: string;
  clientName: string;
  username?: string | undefined;
  error?: string | undefined;
}

/** Login form: fields `username`, `password` and the hidden CSRF token `csrf`. */
export function renderLoginPage(input: LoginPageInput): string {
  const error = input.error
    ? `<p class="error" role="alert" id="login-error">${escapeHtml(input.error)}</p>`
    : '';
  const describedBy = input.error ? ' aria-describedby="login-error"' : '';
  return renderPage(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(input.clientName)}</strong></p>
${error}
<form method="post" action="/interaction/${escapeHtml(input.uid)}/login" autocomplete="off">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<label for="username">Username</label>
<input type="text" id="username" name="username" required autofocus value="${escapeHtml(input.username ?? '')}"${describedBy}>
<label for="password">Password</label>
<input type="password" id="password" name="password" required${describedBy}>
<button type="submit">Sign in</button>
</form>`,
  );
}
