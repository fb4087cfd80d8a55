import { manyServersCommand } from '../../cli/server_action_command';

export default manyServersCommand({ alias: 'stop', verb: 'stop', summary: 'Stop the server(s).', act: (nova, id) => nova.serverActions.stop(id) });
