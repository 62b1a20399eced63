import * as DetectorModule from 'node-device-detector';

/**
 * Matomo's DeviceDetector, through node-device-detector (a JavaScript port of the same rules): the
 * sink tells bots from people as Matomo does (core/Tracker/VisitExcluded.php, isNonHumanBot), so
 * curl, wget and other HTTP libraries are recorded while Googlebot, ApacheBench or k6 are not.
 *
 * Only the sink reaches this module (its command is imported lazily). Building the detector takes
 * a tenth of a second and each new user agent milliseconds, so it is built on first use and every
 * answer is kept per user agent: a load generator sends few distinct ones.
 */
// The package is CommonJS typed as an ES default export: at run time `default` is the class itself.
type DetectorClass = typeof DetectorModule.default.default;
type Detector = InstanceType<DetectorClass>;

/**
 * The port follows a newer DeviceDetector than Matomo 5.0.2's 6.2.1, whose bot list is shorter.
 * Agents the recorded Matomo keeps but the port calls bots (ua-cases.json): Node's own fetch sends
 * `node`. Other words the newer generic rule added (monitor, probe, proxy, script...) are known
 * to differ too and are not needed by any tool trafficinator imitates; docs/journeys.md.
 */
const RECORDED_BY_MATOMO = new Set(['node', 'Node.js']);

let detector: Detector | undefined;
const botAnswers = new Map<string, boolean>();
const KEPT = 10_000;

function loaded(): Detector {
  if (!detector) {
    const DeviceDetector = DetectorModule.default as unknown as DetectorClass;
    detector = new DeviceDetector({ clientIndexes: true, deviceIndexes: true, deviceAliasCode: false });
  }
  return detector;
}

/** True when Matomo's detector calls the user agent a bot. An empty user agent is not one. */
export function isBotUserAgent(userAgent: string): boolean {
  if (userAgent.length === 0) return false;
  let answer = botAnswers.get(userAgent);
  if (answer === undefined) {
    answer = !RECORDED_BY_MATOMO.has(userAgent) && Boolean(loaded().parseBot(userAgent).name);
    if (botAnswers.size >= KEPT) botAnswers.clear();
    botAnswers.set(userAgent, answer);
  }
  return answer;
}

export interface DetectedDevice {
  /** DeviceDetector's type in lower case (desktop, smartphone, tablet, ...), '' when unknown. */
  type: string;
  os: string;
  browser: string;
}

/** Device type, operating system and browser as the detector names them. */
export function detectDevice(userAgent: string): DetectedDevice {
  const result = loaded().detect(userAgent);
  return { type: result.device.type ?? '', os: result.os.name ?? '', browser: result.client.name ?? '' };
}
