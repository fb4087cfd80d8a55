import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'shelve-offload',
  summary: 'Remove a shelved server from the compute node.',
  act: (nova, id) => nova.serverActions.shelveOffload(id),
});
