import { manyServersCommand } from '../../cli/server_action_command';

export default manyServersCommand({ alias: 'start', verb: 'start', summary: 'Start the server(s).', act: (nova, id) => nova.serverActions.start(id) });
