/**
 * The tracker endpoint a user probably meant when a URL is not one: `https://host/matomo` ->
 * `https://host/matomo/matomo.php`. Undefined when the URL already names a PHP endpoint
 * (matomo.php, piwik.php, or a proxy's own script) or cannot be parsed.
 */
export function suggestTrackerUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (/\.php$/i.test(url.pathname)) return undefined;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/matomo.php`;
  return url.toString();
}
