import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';

/**
 * A Matomo site's time zone against another (the plan's, the configuration's): validate warns and
 * backfill refuses when they would cut days differently.
 */

/** Matomo writes manual offsets as `UTC+5.5`; everything else is an IANA name. */
export function matomoZone(name: string): Zone | undefined {
  const manual = /^UTC([+-])(\d+(?:\.\d+)?)$/.exec(name);
  if (manual) return FixedOffsetZone.instance((manual[1] === '-' ? -1 : 1) * Math.round(Number(manual[2]) * 60));
  if (name === 'UTC') return FixedOffsetZone.utcInstance;
  return IANAZone.isValidZone(name) ? IANAZone.create(name) : undefined;
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
}

/**
 * Where a site's zone and the plan's zone disagree on the UTC offset between two instants (hour
 * by hour: every zone changes offset on a full or half hour, and no change lasts less than an
 * hour), as one phrase; undefined when they agree throughout or a name is unknown.
 */
export function zonesDiffer(siteZoneName: string, planZoneName: string, start: number, end: number): string | undefined {
  const siteZone = matomoZone(siteZoneName);
  const planZone = matomoZone(planZoneName);
  if (!siteZone || !planZone) return undefined;
  const step = 3_600_000;
  for (let t = start; t <= end; t += step) {
    const site = siteZone.offset(t);
    const plan = planZone.offset(t);
    if (site !== plan) {
      const day = DateTime.fromMillis(t, { zone: planZone }).toISODate();
      return `site timezone ${siteZoneName} (${offsetText(site)} on ${day}) differs from timezone ${planZoneName} (${offsetText(plan)})`;
    }
  }
  return undefined;
}
