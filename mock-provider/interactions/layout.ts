/** Shared page shell for the provider's HTML: no external assets, inline CSS only. */

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2328}
main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin:0 0 1rem}
p{margin:.5rem 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password]{width:100%;padding:.6rem .7rem;font:inherit;border:1px solid #8c959f;border-radius:.4rem}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #1a5fb4;background:#1a5fb4;color:#fff;cursor:pointer;margin:1rem .5rem 0 0}
button.secondary{background:#fff;color:#1a5fb4}
:focus-visible{outline:3px solid #e66100;outline-offset:2px}
.error{background:#fdecea;border:1px solid #c01c28;color:#8b0a14;padding:.6rem .8rem;border-radius:.4rem}
.note{color:#57606a;font-size:.9rem}
ul{padding-left:1.2rem}
code{word-break:break-all;background:#f0f1f3;padding:0 .2rem;border-radius:.2rem}
`;

export function renderPage(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · bm-harness mock provider</title>
<style>${CSS}</style>
</head>
<body>
<main>
${bodyHtml}
<p class="note">bm-oauth-harness mock OAuth provider — test only.</p>
</main>
</body>
</html>
`;
}
