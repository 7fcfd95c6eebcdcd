const test = require('node:test');
const assert = require('node:assert');
const net = require('node:net');

function parseHostPort(text) {
  const [host, port] = text.split(':');
  return { host, port: Number(port) };
}

test('parses host and port', () => {
  assert.deepStrictEqual(parseHostPort('registry.example:443'), { host: 'registry.example', port: 443 });
});

test('parses an IPv6 literal', () => {
  assert.deepStrictEqual(parseHostPort('[::1]:8080'), { host: '::1', port: 8080 });
});

test('a closed local port is reported, not thrown', async () => {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  const err = await new Promise((resolve) => net.connect(port, '127.0.0.1').on('error', resolve));
  console.log(`expected refusal: ${err.message}`);
  assert.strictEqual(err.code, 'ECONNREFUSED');
});
