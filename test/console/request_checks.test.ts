import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildAccessUrl } from '../../src/console/access_url';
import { originRefusal, tokenFromRequest } from '../../src/console/request_checks';
import { resolveFile } from '../../src/console/static_files';

describe('console proxy request checks', () => {
  it('builds Nova\'s access URLs: noVNC takes the token inside path, the others ?token=', () => {
    assert.equal(buildAccessUrl('http://h:6080/vnc_lite.html', 'novnc', 'T0k-_'), 'http://h:6080/vnc_lite.html?path=%3Ftoken%3DT0k-_');
    assert.equal(buildAccessUrl('http://h:6080/vnc_lite.html?scale=1', 'novnc', 'T'), 'http://h:6080/vnc_lite.html?scale=1&path=%3Ftoken%3DT');
    assert.equal(buildAccessUrl('http://h:6081/console', 'xvpvnc', 'T'), 'http://h:6081/console?token=T');
    assert.equal(buildAccessUrl('http://h:6082/spice_auto.html', 'spice-html5', 'T'), 'http://h:6082/spice_auto.html?token=T');
  });

  it('finds the token in ?token=, inside ?path=, or in the token cookie, in that order', () => {
    assert.equal(tokenFromRequest('/?token=abc', {}), 'abc');
    assert.equal(tokenFromRequest('/websockify?token=abc', { cookie: 'token=zzz' }), 'abc');
    assert.equal(tokenFromRequest('/?path=websockify%3Ftoken%3Ddef', {}), 'def');
    assert.equal(tokenFromRequest('/?path=%3Ftoken%3Dghi', {}), 'ghi');
    assert.equal(tokenFromRequest('/websockify', { cookie: 'other=1; token=jkl; x=y' }), 'jkl');
    assert.equal(tokenFromRequest('/websockify', { cookie: 'token="quoted"' }), 'quoted');
    assert.equal(tokenFromRequest('/websockify', { cookie: 'token=%E0%A4%A' }), null);
    assert.equal(tokenFromRequest('/websockify', {}), null);
  });

  it('checks Origin as Nova does: this host or an allowed one, with the access URL\'s scheme', () => {
    const access = 'http://console.example:6080/vnc_lite.html?path=x';
    const h = (origin: string | undefined, host = '127.0.0.1:6080', extra: Record<string, string> = {}) => ({ host, ...(origin === undefined ? {} : { origin }), ...extra });
    assert.equal(originRefusal(h(undefined), access, []), null, 'no Origin: not a browser');
    assert.equal(originRefusal(h('http://127.0.0.1:6080'), access, []), null);
    assert.equal(originRefusal(h('http://[::1]:6080', '[::1]:6080'), access, []), null);
    assert.equal(originRefusal(h('http://dashboard.example'), access, ['dashboard.example']), null);
    assert.equal(originRefusal(h('http://evil.example'), access, ['dashboard.example']), 'Origin header does not match this host.');
    assert.equal(originRefusal(h('null'), access, []), 'Origin header not valid.');
    assert.equal(originRefusal(h('https://127.0.0.1:6080'), access, []), 'Origin header protocol does not match this host.');
    assert.equal(originRefusal(h('https://127.0.0.1:6080'), 'https://c:6080/vnc_lite.html', []), null);
    assert.equal(originRefusal(h('http://127.0.0.1', '127.0.0.1', { 'x-forwarded-proto': 'https' }), 'https://c/vnc_lite.html', []), null);
    assert.equal(originRefusal(h('http://127.0.0.1:6083'), 'ws://c:6083/', []), null, 'ws access URLs accept http origins');
  });

  it('serves files only from inside the mounted directories', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-static-'));
    fs.mkdirSync(path.join(root, 'core'));
    fs.writeFileSync(path.join(root, 'core', 'rfb.js'), 'x');
    fs.writeFileSync(path.join(root, '.secret'), 'x');
    fs.writeFileSync(path.join(root, 'page.html'), 'x');
    const mounts = [{ prefix: '/core/', dir: path.join(root, 'core') }];
    assert.equal(resolveFile('/core/rfb.js', mounts), path.join(root, 'core', 'rfb.js'));
    assert.equal(resolveFile('/core/../page.html', mounts), null);
    assert.equal(resolveFile('/core/%2e%2e/page.html', mounts), null);
    assert.equal(resolveFile('/core/..%2fpage.html', mounts), null);
    assert.equal(resolveFile('/core/', mounts), null);
    assert.equal(resolveFile('/page.html', [{ prefix: '/', dir: root }]), path.join(root, 'page.html'));
    assert.equal(resolveFile('/.secret', [{ prefix: '/', dir: root }]), null);
    assert.equal(resolveFile('/vnc.html', mounts, { '/vnc.html': '/the/page' }), '/the/page');
  });
});
