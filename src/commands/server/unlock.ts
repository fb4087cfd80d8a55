import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'unlock',
  summary: 'Unlock a server.',
  act: (nova, id) => nova.serverActions.unlock(id),
});
