import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'unpause',
  summary: 'Unpause a server.',
  act: (nova, id) => nova.serverActions.unpause(id),
});
