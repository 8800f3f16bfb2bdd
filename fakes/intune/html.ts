/**
 * The fake's HTML: the admin consent page (a plain form, no script) and Entra-style error pages.
 */
import { escapeHtml } from '../shared/html.ts';

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
button{font-size:1rem;padding:.5rem 1.5rem;margin-right:.5rem}li{margin:.25rem 0}code{background:#f3f3f3}</style>
</head><body>${body}</body></html>
`;
}

export interface ConsentPageInput {
  appName: string;
  clientId: string;
  permissions: readonly string[];
  /** The tenant when the URL names one; otherwise the page asks for it, proposing `suggestedTenant`. */
  tenantName: string | undefined;
  suggestedTenant: string;
  requestId: string;
  action: string;
}

export function consentPage(input: ConsentPageInput): string {
  const tenantField = input.tenantName
    ? `<p>Organisation: <strong>${escapeHtml(input.tenantName)}</strong></p>`
    : `<p><label>Organisation (tenant ID or domain): <input name="tenant" value="${escapeHtml(input.suggestedTenant)}" required></label></p>`;
  const permissions = input.permissions.map((p) => `<li><code>${escapeHtml(p)}</code></li>`).join('');
  return page(
    'Permissions requested',
    `<h1>Permissions requested</h1>
<p><strong>${escapeHtml(input.appName)}</strong> (<code>${escapeHtml(input.clientId)}</code>) needs permission to:</p>
<ul>${permissions}</ul>
<p>Accepting grants these permissions for your whole organisation.</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="rid" value="${escapeHtml(input.requestId)}">
${tenantField}
<button type="submit" name="decision" value="accept">Accept</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form>`,
  );
}

export function errorPage(code: number, message: string): string {
  return page(
    'Sign in to your account',
    `<h1>Sorry, but we’re having trouble signing you in.</h1>
<p id="error">AADSTS${code}: ${escapeHtml(message)}</p>`,
  );
}
