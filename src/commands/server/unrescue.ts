import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'unrescue',
  summary: 'Restart the server from normal boot disk again.',
  act: (nova, id) => nova.serverActions.unrescue(id),
});
