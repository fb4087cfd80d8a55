import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'resume',
  summary: 'Resume a server.',
  act: (nova, id) => nova.serverActions.resume(id),
});
