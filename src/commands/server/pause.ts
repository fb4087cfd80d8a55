import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'pause',
  summary: 'Pause a server.',
  act: (nova, id) => nova.serverActions.pause(id),
});
