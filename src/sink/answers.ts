/**
 * Matomo 5.0.2's answers, byte for byte as recorded in test/fixtures/matomo-5.0.2. The sink sends
 * these so clients that read status codes, content types and bodies see what a real Matomo sends.
 */
export const MATOMO_VERSION = '5.0.2';

/** The page of a bare GET on matomo.php; Matomo sends the same text with its 400 answers. */
export const TRACKER_PAGE =
  "This resource is part of Matomo. Keep full control of your data with the leading free and open source <a href='https://matomo.org' target='_blank' rel='noopener noreferrer nofollow'>web analytics & conversion optimisation platform</a>.<br>\n" +
  "This file is the endpoint for the Matomo tracking API. If you want to access the Matomo UI or use the Reporting API, please use <a href='index.php'>index.php</a> instead.\n";

/** The 1x1 transparent GIF Matomo answers a single hit without send_image=0. */
export const TRACKER_GIF = Buffer.from(
  '4749463839610100010080000000000000000021f90401000000002c00000000010001000002024401003b',
  'hex',
);

export const HTML_TYPE = 'text/html; charset=UTF-8';
export const GIF_TYPE = 'image/gif';
/** The tracker's bulk answers say `application/json`; the Reporting API adds the charset. */
export const BULK_JSON_TYPE = 'application/json';
export const API_JSON_TYPE = 'application/json; charset=utf-8';

export const BAD_TOKEN_MESSAGE =
  'Unable to authenticate with the provided token. It is either invalid, expired or is required to be sent as a POST parameter.';

export function unknownSiteMessage(idSite: string): string {
  return `An unexpected website was found in the request: website id was set to '${idSite}' .`;
}
