/** The page: a token, a region, one table. The token stays in this tab (sessionStorage). */
import { GatewayError } from './client';
import type { Region } from './gql/graphql';
import { loadRegionReferrals, referralsHtml } from './referrals-table';

const form = document.querySelector<HTMLFormElement>('#ask');
const output = document.querySelector<HTMLElement>('#table');
if (!form || !output) throw new Error('The page lacks its #ask form or #table');
const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
field('token').value = sessionStorage.getItem('token') ?? '';

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = field('token').value.trim();
  sessionStorage.setItem('token', token);
  output.textContent = 'Loading…';
  try {
    const view = await loadRegionReferrals(field('region').value as Region, {
      endpoint: field('endpoint').value,
      token,
      language: navigator.language,
    });
    output.innerHTML = referralsHtml(view);
  } catch (error) {
    output.textContent = error instanceof GatewayError ? `${error.code}: ${error.message}` : String(error);
  }
});
