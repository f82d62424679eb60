import { html } from './html.js';
import { renderPage, type PageFrame } from './page-layout.js';
import { publicText } from './public-text.js';

/** A page for a failed request: the status and the reason (escaped, without server paths). */
export function renderErrorPage(
  status: number,
  message: string,
  frame: Omit<PageFrame, 'title'>,
): string {
  const title = status === 404 ? 'Not found' : status === 400 ? 'Bad request' : 'Error';
  return renderPage(
    { ...frame, title },
    html`<h1>${title}</h1>
      <p class="error-message">${publicText(message)}</p>
      <p><a href="${frame.basePath}/experiments">All experiments</a></p>`,
  );
}
