import { serverActionCommand } from '../../cli/server_action_command';

export default serverActionCommand({
  alias: 'resize-confirm',
  summary: 'Confirm a previous resize.',
  act: (nova, id) => nova.serverActions.confirmResize(id),
});
