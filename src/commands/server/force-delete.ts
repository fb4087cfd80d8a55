import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'force-delete',
  summary: 'Force delete a server.',
  act: (nova, id) => nova.serverActions.forceDelete(id),
});
