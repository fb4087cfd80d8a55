import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'suspend',
  summary: 'Suspend a server.',
  act: (nova, id) => nova.serverActions.suspend(id),
});
