/** Where the sandbox sees the proxy's unix socket and the bridge script (bound in read-only). */
export const SANDBOX_NET_DIR = '/run/ipo-net';
export const SANDBOX_PROXY_SOCKET = `${SANDBOX_NET_DIR}/proxy.sock`;
export const SANDBOX_BRIDGE_SCRIPT = `${SANDBOX_NET_DIR}/bridge.mjs`;

/**
 * The proxy settings common tools read, all pointing at the bridge. curl reads only the lower-case `http_proxy`
 * (the upper-case one is ignored for CGI's sake); git, pip (requests/urllib), cargo, Go and Python read both; npm
 * reads `npm_config_*`; yarn berry reads `YARN_HTTP(S)_PROXY`; Node ≥ 24 has `fetch` and `http` honour the
 * standard ones when `NODE_USE_ENV_PROXY=1` (older Node ignores them: a script passes the proxy itself).
 * `NO_PROXY` names loopback: inside the sandbox 127.0.0.1 is the sandbox's own (a test's own server must stay
 * reachable), and it overrides any NO_PROXY the command's environment carried in.
 */
export const PROXY_ENV_NAMES = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'http_proxy',
  'https_proxy',
  'npm_config_proxy',
  'npm_config_https_proxy',
  'YARN_HTTP_PROXY',
  'YARN_HTTPS_PROXY',
] as const;
export const NO_PROXY_VALUE = 'localhost,127.0.0.1,::1';

/**
 * The bridge, run by the sandbox's node before the command: it listens on the sandbox's own 127.0.0.1 (an
 * ephemeral port, so it takes no port a test wants), forwards each connection to the proxy's unix socket, then
 * spawns the command with the proxy variables set and passes on its exit code or signal. A string, written to a
 * file at run time, so the bundled Action (which has no source tree) carries it too. It runs with the command's
 * rights inside the sandbox: nothing in it is trusted by ipo.
 */
export const BRIDGE_SCRIPT = `import net from 'node:net';
import { spawn } from 'node:child_process';
import os from 'node:os';
const [file, ...args] = process.argv.slice(2);
const server = net.createServer((client) => {
  const upstream = net.connect(${JSON.stringify(SANDBOX_PROXY_SOCKET)});
  const end = () => { client.destroy(); upstream.destroy(); };
  client.on('error', end); upstream.on('error', end); client.on('close', end); upstream.on('close', end);
  client.pipe(upstream).pipe(client);
});
server.on('error', (error) => { process.stderr.write('ipo sandbox: the network bridge failed: ' + error.message + '\\n'); process.exit(125); });
server.listen(0, '127.0.0.1', () => {
  const url = 'http://127.0.0.1:' + server.address().port;
  const env = { ...process.env, NO_PROXY: ${JSON.stringify(NO_PROXY_VALUE)}, no_proxy: ${JSON.stringify(NO_PROXY_VALUE)}, NODE_USE_ENV_PROXY: '1' };
  for (const name of ${JSON.stringify(PROXY_ENV_NAMES)}) env[name] = url;
  const child = spawn(file, args, { stdio: 'inherit', env });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write('ipo sandbox: cannot run ' + file + ': ' + error.message + '\\n');
    process.exit(error.code === 'ENOENT' ? 127 : 126);
  });
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    // A signal node handles itself does not end it: exit as a shell reports a death by signal.
    setTimeout(() => process.exit(128 + (os.constants.signals[signal] ?? 0)), 100);
  });
});
`;
