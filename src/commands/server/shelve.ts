import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'shelve',
  summary: 'Shelve a server.',
  act: (nova, id) => nova.serverActions.shelve(id),
});
