import { ConsoleAPI } from '../../console/api';
import { registerPolicies } from '../policy';
import { ApiRequest, ApiRouter } from '../router';
import { ControllerDeps } from './deps';

// Remote consoles (Nova 18: nova/api/openstack/compute/remote_consoles.py): the os-get*Console server
// actions up to 2.5, POST /servers/{id}/remote-consoles from 2.6 (mks/webmks from 2.8).
const POLICY = 'os_compute_api:os-remote-consoles';
registerPolicies([{
  name: POLICY, check: 'rule:project_member_or_admin',
  description: 'Generate a URL to access remote server console',
  operations: [
    { method: 'POST', path: '/servers/{server_id}/action (os-getRDPConsole)' },
    { method: 'POST', path: '/servers/{server_id}/action (os-getSerialConsole)' },
    { method: 'POST', path: '/servers/{server_id}/action (os-getSPICEConsole)' },
    { method: 'POST', path: '/servers/{server_id}/action (os-getVNCConsole)' },
    { method: 'POST', path: '/servers/{server_id}/remote-consoles' },
  ],
}]);

/** Body schema of one legacy action: `{"<action>": {"type": <one of types>}}`. */
function actionSchema(action: string, types: string[]): object {
  return {
    type: 'object',
    properties: {
      [action]: {
        type: 'object',
        properties: { type: { type: 'string', enum: types } },
        required: ['type'],
        additionalProperties: false,
      },
    },
    required: [action],
    additionalProperties: false,
  };
}

function createSchema(protocols: string[], types: string[]): object {
  return {
    type: 'object',
    properties: {
      remote_console: {
        type: 'object',
        properties: { protocol: { type: 'string', enum: protocols }, type: { type: 'string', enum: types } },
        required: ['protocol', 'type'],
        additionalProperties: false,
      },
    },
    required: ['remote_console'],
    additionalProperties: false,
  };
}

const LEGACY_ACTIONS: Array<{ action: string; protocol: string; types: string[] }> = [
  { action: 'os-getVNCConsole', protocol: 'vnc', types: ['novnc', 'xvpvnc'] },
  { action: 'os-getSPICEConsole', protocol: 'spice', types: ['spice-html5'] },
  { action: 'os-getRDPConsole', protocol: 'rdp', types: ['rdp-html5'] },
  { action: 'os-getSerialConsole', protocol: 'serial', types: ['serial'] },
];

const V26_TYPES = ['novnc', 'xvpvnc', 'rdp-html5', 'spice-html5', 'serial'];

export function register(r: ApiRouter, d: ControllerDeps): void {
  const consoles = new ConsoleAPI({
    conf: d.conf,
    computeClient: () => d.rt.compute(),
    consoleauth: () => d.rt.consoleauth(),
  });

  /** The instance (404 when the caller may not see it), then the policy with the instance's project. */
  const load = async (req: ApiRequest) => {
    const inst = await d.compute.get(req.ctx, req.params.server_id);
    req.authorize(POLICY, { project_id: inst.project_id });
    return inst;
  };

  for (const a of LEGACY_ACTIONS) {
    r.action('/servers/:server_id', a.action, {
      max: '2.5',
      body: actionSchema(a.action, a.types),
      handler: async (req) => {
        const inst = await load(req);
        const type = (req.body[a.action] as { type: string }).type;
        const { url } = await consoles.getConsole(req.ctx, inst, a.protocol, type);
        return { console: { type, url } };
      },
    });
  }

  r.post('/servers/:server_id/remote-consoles', {
    min: '2.6',
    body: [
      { min: '2.6', max: '2.7', schema: createSchema(['vnc', 'spice', 'rdp', 'serial'], V26_TYPES) },
      { min: '2.8', schema: createSchema(['vnc', 'spice', 'rdp', 'serial', 'mks'], [...V26_TYPES, 'webmks']) },
    ],
    handler: async (req) => {
      const inst = await load(req);
      const { protocol, type } = req.body.remote_console as { protocol: string; type: string };
      const { url } = await consoles.getConsole(req.ctx, inst, protocol, type);
      return { remote_console: { protocol, type, url } };
    },
  });
}
