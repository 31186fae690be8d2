/**
 * What every page of the platform builds the same way: elements, the alert that explains a failed read,
 * and the sign-in form that takes a bearer token when the link carried none. Each page keeps its own
 * texts (its catalogue) and decides what to do once signed in.
 */
import type { GraphErrorShape } from './graphql.js';

/** The element with this id, of this type; a page built without it is a bug, said at once. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing`);
  return element;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** The alert region with a message and, when the graph gave them, its errors (path — message). */
export function showAlert(alert: HTMLElement, message: string, errors: readonly GraphErrorShape[] = []): void {
  alert.replaceChildren(
    el('p', {}, message),
    ...(errors.length > 0
      ? [el('ul', {}, ...errors.map((e) => el('li', {}, e.path ? `${e.path.join('.')} — ${e.message}` : e.message)))]
      : []),
  );
  alert.hidden = false;
}

export function clearAlert(alert: HTMLElement): void {
  alert.replaceChildren();
  alert.hidden = true;
}

export interface SignInTexts {
  heading: string;
  intro: string;
  label: string;
  submit: string;
}

/** Replaces `main` with the sign-in form; a non-empty token is handed to `signedIn`. */
export function signInForm(main: HTMLElement, texts: SignInTexts, signedIn: (token: string) => void): void {
  const input = el('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: '',
  });
  const form = el(
    'form',
    { id: 'sign-in', 'aria-labelledby': 'sign-in-heading' },
    el('p', {}, texts.intro),
    el('label', { for: 'token' }, texts.label),
    input,
    el('button', { type: 'submit' }, texts.submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    signedIn(input.value);
  });
  main.setAttribute('aria-busy', 'false');
  main.replaceChildren(
    el(
      'section',
      { class: 'panel', 'aria-labelledby': 'sign-in-heading' },
      el('h2', { id: 'sign-in-heading' }, texts.heading),
      form,
    ),
  );
}
