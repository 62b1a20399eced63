// The load side of bench:sink: autocannon sending single Matomo hits (valid page views of 10,000
// rotating visitors, cdt = now) and printing its result as JSON. Run pinned to its own core.
import autocannon from 'autocannon';

const [url, seconds = '10', connections = '64', pipelining = '1'] = process.argv.slice(2);
// Paths are prebuilt so the client spends its core on sending, not on building strings; the cdt is
// the start instant (seconds old by the end: valid), rand makes every hit distinct.
const cdt = new Date().toISOString().slice(0, 19).replace('T', '+');
const prefixes = Array.from({ length: 10_000 }, (_, i) => {
  const id = (0x1000000000000000n + BigInt(i) * 7919n).toString(16).slice(0, 16);
  return (
    `/matomo.php?idsite=1&rec=1&url=http%3A%2F%2Fexample.test%2Fpage%2F${i % 500}&action_name=Page+${i % 500}` +
    `&_id=${id}&cdt=${cdt}&h=12&m=0&s=0&res=1920x1080&lang=en-US` +
    `&ua=Mozilla%2F5.0+(X11%3B+Linux+x86_64)+AppleWebKit%2F537.36&send_image=0&pv_id=`
  );
});
let n = 0;

const instance = autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  pipelining: Number(pipelining),
  requests: [
    {
      method: 'GET',
      setupRequest(request) {
        n += 1;
        request.path = prefixes[n % 10_000] + n;
        return request;
      },
    },
  ],
});
instance.on('done', (result) => {
  process.stdout.write(
    JSON.stringify({
      requests: result.requests.total,
      rps: result.requests.average,
      rpsMin: result.requests.min,
      rpsP50: result.requests.p50,
      latencyP50: result.latency.p50,
      latencyP99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      seconds: result.duration,
    }) + '\n',
  );
});
