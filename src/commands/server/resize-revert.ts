import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'resize-revert',
  summary: 'Revert a previous resize (and return to the previous VM).',
  act: (nova, id) => nova.serverActions.revertResize(id),
});
